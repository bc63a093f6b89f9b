import { loadStream, scanLog } from '@salur/application';
import type { EventStore } from '@salur/event-store';
import { paymentDecider, paymentIdFor, paymentStreamName, type PaymentState } from '@salur/payments/domain';
import { declaredPeriodsOf, type ProgrammeState } from '@salur/programmes/domain';

/**
 * Whether a payment of an exited beneficiary is at rest: nothing moves it any more, so no later
 * event of it needs the beneficiary's key. Credited, reversed: done. Rejected, returned, not
 * credited: only a reissue moves them, and a reissue needs an active beneficiary
 * (PaymentReissue). Still in the pool (scheduled, reissued): only a batch moves it, and batches
 * take only active beneficiaries' payments (BatchBuilder, batch lines); an exit is final, so it
 * stays there, unpaid, for good. Moving: batched, sent, outcome unknown, or credited with a
 * reversal awaiting its second officer.
 */
export function isPaymentAtRest(state: PaymentState): boolean {
  switch (state.status) {
    case 'credited':
      return state.reversalRequest === undefined;
    case 'batched':
    case 'sent':
    case 'outcome-unknown':
      return false;
    default:
      return true;
  }
}

/**
 * The beneficiary's payments still moving (not at rest), read from their streams (the log never
 * lags; the balances read model may, and a payment batched a moment ago must not be missed). A
 * payment's id is derived from (programme, period, beneficiary), so the programme's declared
 * periods name every payment the beneficiary can have: at most one stream per period (twelve
 * for a monthly schedule). A programme created before schedules were declared names none, and
 * its payments are found by one scan of the log instead.
 */
export async function openPaymentsOf(
  store: EventStore,
  programme: ProgrammeState,
  beneficiaryId: string,
): Promise<string[]> {
  const paymentIds =
    programme.status === 'active' && programme.schedule !== undefined
      ? declaredPeriodsOf(programme).map((period) => paymentIdFor(programme.programmeId, period, beneficiaryId))
      : await scannedPaymentsOf(store, beneficiaryId);
  const open: string[] = [];
  for (const paymentId of paymentIds) {
    const { state } = await loadStream(store, paymentStreamName(paymentId), paymentDecider);
    if (state.status !== 'absent' && !isPaymentAtRest(state)) open.push(paymentId);
  }
  return open;
}

async function scannedPaymentsOf(store: EventStore, beneficiaryId: string): Promise<string[]> {
  const found: string[] = [];
  await scanLog(store, (type, data) => {
    if (type === 'PaymentScheduled' && data.beneficiaryId === beneficiaryId) found.push(String(data.paymentId));
  });
  return found;
}
