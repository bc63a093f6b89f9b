import { scanLog } from '@salur/application';
import type { EventStore } from '@salur/event-store';
import type { PaymentScheduled } from '@salur/payments/domain';

const SCHEDULED: PaymentScheduled['type'] = 'PaymentScheduled';

/**
 * The ids of every payment scheduled for the round, sorted, read from the log (never a lagging
 * read model: a payment missed here would never be batched).
 */
export async function paymentsOfRound(store: EventStore, programmeId: string, period: string): Promise<string[]> {
  const ids: string[] = [];
  await scanLog(store, (type, data) => {
    if (type === SCHEDULED && data.programmeId === programmeId && data.period === period) {
      ids.push(String(data.paymentId));
    }
  });
  return ids.sort();
}
