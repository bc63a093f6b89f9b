import { randomUUID } from 'node:crypto';
import type { EventStore } from '@salur/event-store';
import { PaymentEvent, paymentIdFor, paymentStreamName } from '@salur/payments/domain';

export const SENT_AT = '2026-11-27T09:00:00.000Z';
export const SENT_TO_ACCOUNT = '001901000378301';

/** `count` payments scheduled, batched and sent in `batchId`, as the jobs would have left them; their ids. */
export async function seedSentPayments(store: EventStore, batchId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  const account = { bankCode: '002', accountNumber: SENT_TO_ACCOUNT, accountHolderName: 'SITI AMINAH' };
  const at = SENT_AT;
  for (let n = 0; n < count; n++) {
    const beneficiaryId = randomUUID();
    const paymentId = paymentIdFor('BANTU-UMAK-2026', '2026-11', beneficiaryId);
    const events: PaymentEvent[] = [
      {
        type: 'PaymentScheduled',
        data: {
          paymentId,
          programmeId: 'BANTU-UMAK-2026',
          period: '2026-11',
          beneficiaryId,
          amount: '600000.00',
          scheduledBy: 'po',
          at,
        },
      },
      { type: 'PaymentBatched', data: { paymentId, batchId, account, attempt: 1, at } },
      { type: 'PaymentSentToBank', data: { paymentId, batchId, at } },
    ];
    await store.append(
      paymentStreamName(paymentId),
      events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data })),
      { expectedRevision: 'no_stream' },
    );
    ids.push(paymentId);
  }
  return ids;
}
