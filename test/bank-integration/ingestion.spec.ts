import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { loadStream } from '@salur/application';
import {
  BANK_RESULT_CSV_COLUMNS,
  bankIntegrationConfigFrom,
  BankResultsIngestion,
  bankResultCsvRow,
  compactId,
} from '@salur/bank-integration';
import { EventStore, RecordedEvent, SqliteEventStore } from '@salur/event-store';
import { paymentDecider, paymentIdFor, paymentStreamName, type PaymentEvent } from '@salur/payments/domain';

const at = '2026-11-27T09:00:00.000Z';
const context = {
  actor: { userId: 'ingest', role: 'bank-integration' as const },
  now: at,
  correlationId: 'c',
  causationId: 'j',
};
const batchId = '5d6f1b7e-2c43-4e6a-9d1f-000000000001';
const account = { bankCode: '002', accountNumber: '001901000378301', accountHolderName: 'SITI AMINAH' };
const report = async () => undefined;

/** Ingestion of one result file against payments already sent: short credits, pendings, re-ingestion. */
describe('bank results ingestion', () => {
  const directory = mkdtempSync(join(tmpdir(), 'salur-ingest-'));
  let store: EventStore;
  let ingestion: BankResultsIngestion;
  const paymentIds = [1, 2, 3].map((n) =>
    paymentIdFor('BANTU-UMAK-2026', '2026-11', `b0000000-0000-4000-8000-00000000000${n}`),
  );

  beforeAll(async () => {
    store = new SqliteEventStore({ path: ':memory:' });
    ingestion = new BankResultsIngestion(store, bankIntegrationConfigFrom({ BANK_FILES_DIR: directory }));
    for (const [index, paymentId] of paymentIds.entries()) {
      const events: PaymentEvent[] = [
        {
          type: 'PaymentScheduled',
          data: {
            paymentId,
            programmeId: 'BANTU-UMAK-2026',
            period: '2026-11',
            beneficiaryId: `b0000000-0000-4000-8000-00000000000${index + 1}`,
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
        events.map((event, n) => ({
          id: `00000000-0000-4000-8000-0000000${index}000${n}`,
          type: event.type,
          data: event.data,
        })),
      );
    }
  });
  afterAll(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('records a short credit with its deduction and a flag, leaves a pending payment sent, and ingests a file once', async () => {
    const line = (paymentId: string, outcome: 'credited' | 'pending', amount: string, reference: string) =>
      bankResultCsvRow({
        endToEndId: compactId(paymentId),
        outcome,
        amount,
        currency: 'IDR',
        account: account.accountNumber,
        bankReference: reference,
        valueDate: '2026-11-27',
        paymentInfoId: compactId(batchId),
      });
    const csv =
      `${BANK_RESULT_CSV_COLUMNS.join(',')}\r\n` +
      line(paymentIds[0], 'credited', '600000.00', 'CR-1') +
      line(paymentIds[1], 'credited', '597500.00', 'CR-2') +
      line(paymentIds[2], 'pending', '600000.00', 'PD-3');
    const file = await ingestion.receive(Readable.from([Buffer.from(csv)]), 'csv', 'results.csv');
    expect(file.format).toBe('csv');

    const summary = await ingestion.ingest(file, context, report);
    expect(summary).toMatchObject({
      lines: 3,
      applied: 2,
      pending: 1,
      credited: 1,
      shortCredits: 1,
      exceptions: 0,
      alreadyIngested: false,
    });
    const flagged = await eventsOf(store, 'PaymentDeductionFlagged');
    expect(flagged.map((event) => event.data)).toEqual([
      expect.objectContaining({
        paymentId: paymentIds[1],
        approvedAmount: '600000.00',
        creditedAmount: '597500.00',
        deductedAmount: '2500.00',
      }),
    ]);
    expect((await loadStream(store, paymentStreamName(paymentIds[2]), paymentDecider)).state.status).toBe('sent');

    const head = await store.headPosition();
    const again = await ingestion.ingest(file, context, report);
    expect(again).toMatchObject({ alreadyIngested: true, applied: 2 });
    expect(await store.headPosition()).toBe(head);
  });
});

async function eventsOf(store: EventStore, type: string): Promise<RecordedEvent[]> {
  const found: RecordedEvent[] = [];
  for await (const event of store.readAll()) if (event.type === type) found.push(event);
  return found;
}
