import { randomUUID } from 'node:crypto';
import { handleCommand, LedgerContext, metadataOf } from '@salur/application';
import type { EventStore } from '@salur/event-store';
import { DomainError } from '@salur/kernel';
import { PaymentEvent, paymentIdFor, paymentStreamName } from '@salur/payments/domain';
import { programmeDecider, programmeStreamName } from '@salur/programmes/domain';

export const SENT_AT = '2026-11-27T09:00:00.000Z';
export const SENT_TO_ACCOUNT = '001901000378301';

/** `count` payments scheduled, batched and sent in `batchId`, as the jobs would have left them; their ids. */
export async function seedSentPayments(store: EventStore, batchId: string, count: number): Promise<string[]> {
  await seedProgramme(store);
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

/** Their programme, declaring the period they name (the checker refuses a payment of an undeclared one); once per store. */
async function seedProgramme(store: EventStore): Promise<void> {
  const context: LedgerContext = {
    actor: { userId: 'po', role: 'programme-officer' },
    now: SENT_AT,
    correlationId: randomUUID(),
    causationId: randomUUID(),
  };
  await handleCommand(
    store,
    programmeStreamName('BANTU-UMAK-2026'),
    programmeDecider,
    {
      type: 'CreateProgramme',
      data: {
        programmeId: 'BANTU-UMAK-2026',
        code: 'BANTU-UMAK',
        name: 'Bantu Umak',
        fiscalYear: 2026,
        budgetCeiling: '100000000000.00',
        benefitAmount: '600000.00',
        currency: 'IDR',
      },
      context,
    },
    { metadata: metadataOf(context) },
  ).catch((error: unknown) => {
    // Seeded by an earlier call on the same store.
    if (!(error instanceof DomainError && error.code === 'PROGRAMME_EXISTS')) throw error;
  });
}
