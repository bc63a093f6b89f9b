import type { EventStore } from '@salur/event-store';
import type { BeneficiaryEvent } from '@salur/beneficiaries/domain';

/** Events read per page of the log scan: a bound on what one read holds. */
const SCAN_PAGE = 5_000;

/**
 * Who is in a round, read from the global log up to its head when the scan starts. The log is
 * the truth and never lags (a read model may), so a beneficiary enrolled a moment before the
 * round opened is not missed; the price is reading the whole log once per round (see the README
 * for the figures and the alternative through the read models at national scale).
 */
export async function activeBeneficiariesOf(store: EventStore, programmeId: string): Promise<string[]> {
  const status = new Map<string, boolean>();
  await scanLog(store, (type, data) => {
    if (data.programmeId !== programmeId || typeof data.beneficiaryId !== 'string') return;
    switch (type as BeneficiaryEvent['type']) {
      case 'BeneficiaryEnrolled':
      case 'BeneficiaryReinstated':
        status.set(data.beneficiaryId, true);
        break;
      case 'BeneficiarySuspended':
      case 'BeneficiaryExited':
        status.set(data.beneficiaryId, false);
        break;
    }
  });
  return [...status]
    .filter(([, active]) => active)
    .map(([beneficiaryId]) => beneficiaryId)
    .sort();
}

/** The ids of every payment scheduled for the round, sorted. */
export async function paymentsOfRound(store: EventStore, programmeId: string, period: string): Promise<string[]> {
  const ids: string[] = [];
  await scanLog(store, (type, data) => {
    if (type === 'PaymentScheduled' && data.programmeId === programmeId && data.period === period) {
      ids.push(String(data.paymentId));
    }
  });
  return ids.sort();
}

async function scanLog(
  store: EventStore,
  visit: (type: string, data: Readonly<Record<string, unknown>>) => void,
): Promise<void> {
  const head = await store.headPosition();
  if (head === undefined) return;
  let after: number | undefined;
  for (;;) {
    let last: number | undefined;
    for await (const event of store.readAll({ from: after, maxCount: SCAN_PAGE })) {
      if (event.position > head) return;
      visit(event.type, event.data);
      last = event.position;
    }
    if (last === undefined || last >= head) return;
    after = last;
  }
}
