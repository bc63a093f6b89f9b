import { handleCommand, LedgerContext, loadStream, metadataOf } from '@salur/application';
import type { EventStore } from '@salur/event-store';
import { formatAmount } from '@salur/kernel';
import { paymentDecider, paymentStreamName } from '@salur/payments/domain';
import { programmeDecider, programmeStreamName, stillReserved } from '@salur/programmes/domain';

/**
 * What an open batch holds outside its own stream: its payments (out of the pool) and its
 * budget reservation. Each step is idempotent, so a closing that crashed half-way is finished
 * by running it again.
 */
export async function returnPaymentsToPool(
  store: EventStore,
  batchId: string,
  paymentIds: readonly string[],
  reason: string,
  context: LedgerContext,
): Promise<void> {
  for (const paymentId of paymentIds) {
    await handleCommand(
      store,
      paymentStreamName(paymentId),
      paymentDecider,
      { type: 'UnbatchPayment', data: { paymentId, batchId, reason }, context },
      { metadata: metadataOf(context) },
    );
  }
}

/** Releases what is still reserved for the batch, except under the reservation to keep. */
export async function releaseBatchBudget(
  store: EventStore,
  programmeId: string,
  batchId: string,
  reason: string,
  context: LedgerContext,
  keepReservationId?: string,
): Promise<void> {
  const { state } = await loadStream(store, programmeStreamName(programmeId), programmeDecider);
  if (state.status === 'absent') return;
  for (const reservation of state.reservations.values()) {
    const held = stillReserved(reservation);
    if (reservation.batchId !== batchId || reservation.reservationId === keepReservationId || held.isZero()) continue;
    await handleCommand(
      store,
      programmeStreamName(programmeId),
      programmeDecider,
      {
        type: 'ReleaseBudget',
        data: {
          programmeId,
          releaseId: `${reservation.reservationId}:released`,
          reservationId: reservation.reservationId,
          amount: formatAmount(held),
          reason,
        },
        context,
      },
      { metadata: metadataOf(context) },
    );
  }
}
