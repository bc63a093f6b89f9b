import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  BANK_RESULT_CSV_COLUMNS,
  bankIntegrationConfigFrom,
  BankResultsIngestion,
  bankResultCsvRow,
  compactId,
  type Pain001Line,
} from '@salur/bank-integration';
import { EventStore, SqliteEventStore } from '@salur/event-store';
import { paymentIdFor, paymentStreamName, type PaymentCredited, type PaymentEvent } from '@salur/payments/domain';
import {
  bankReferenceOf,
  DEFAULT_SIMULATION,
  entryReferenceOf,
  simulateBank,
} from '../../libs/bank-integration/src/simulator/bank-simulator';
import { xsdErrors } from './support/xsd';

const at = '2026-11-27T09:00:00.000Z';
const context = {
  actor: { userId: 'ingest', role: 'bank-integration' as const },
  now: at,
  correlationId: 'c',
  causationId: 'j',
};
const batchId = '5d6f1b7e-2c43-4e6a-9d1f-000000000002';
const account = { bankCode: '002', accountNumber: '001901000378301', accountHolderName: 'SITI AMINAH' };
const report = async () => undefined;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Each ingested credit keeps the bank's own references as data: what a statement is later matched against. */
describe('bank evidence on ingested credits', () => {
  const directory = mkdtempSync(join(tmpdir(), 'salur-evidence-'));
  let store: EventStore;
  let ingestion: BankResultsIngestion;
  const paymentIds = [1, 2, 3].map((n) =>
    paymentIdFor('BANTU-UMAK-2026', '2026-11', `c0000000-0000-4000-8000-00000000000${n}`),
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
            beneficiaryId: `c0000000-0000-4000-8000-00000000000${index + 1}`,
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
      );
    }
  });
  afterAll(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  async function creditOf(paymentId: string): Promise<PaymentCredited['data']> {
    for await (const event of store.readStream(paymentStreamName(paymentId))) {
      if (event.type === 'PaymentCredited') return event.data as unknown as PaymentCredited['data'];
    }
    throw new Error(`payment ${paymentId} has no credit`);
  }

  it('records the camt.054 entry: NtryRef, AcctSvcrRef, EndToEndId, booking date, amount and currency as stated, file SHA-256', async () => {
    const transfers: Pain001Line[] = paymentIds.slice(0, 2).map((paymentId) => ({
      messageId: compactId(batchId),
      paymentInfoId: compactId(batchId),
      requestedExecutionDate: '2026-11-27',
      endToEndId: compactId(paymentId),
      amount: '600000.00',
      currency: 'IDR',
      creditorName: account.accountHolderName,
      creditorAccount: account.accountNumber,
      creditorBic: 'BRINIDJA',
      chargeBearer: 'DEBT',
    }));
    let camt054 = '';
    await simulateBank(
      Readable.from(transfers),
      { ...DEFAULT_SIMULATION, rejectShare: 0, returnShare: 0, valueDate: '2026-11-28' },
      '0012301000000099',
      { pain002: () => undefined, camt054: (chunk) => void (camt054 += chunk) },
    );
    expect(await xsdErrors(camt054, 'camt.054.001.08')).toEqual([]);

    const file = await ingestion.receive(Readable.from([Buffer.from(camt054)]), 'xml', 'notification.xml');
    expect(file).toMatchObject({ format: 'camt.054.001.08', sha256: sha256(camt054) });
    expect(await ingestion.ingest(file, context, report)).toMatchObject({ credited: 2, exceptions: 0 });

    for (const [index, transfer] of transfers.entries()) {
      const reference = bankReferenceOf(transfer, 'CR');
      const credit = await creditOf(paymentIds[index]);
      expect(credit).toMatchObject({ creditedAmount: '600000.00', bankReference: reference, valueDate: '2026-11-28' });
      expect(credit.bankEvidence).toEqual({
        fileSha256: sha256(camt054),
        fileFormat: 'camt.054.001.08',
        fileLine: index + 1,
        endToEndId: transfer.endToEndId,
        entryReference: entryReferenceOf(reference),
        accountServicerReference: reference,
        bookingDate: '2026-11-28',
        amount: '600000.00',
        currency: 'IDR',
      });
    }
  });

  it('records the CSV line: its bank_reference, the amount unformatted as the bank wrote it; no entry reference or booking date', async () => {
    const csv =
      `${BANK_RESULT_CSV_COLUMNS.join(',')}\r\n` +
      bankResultCsvRow({
        endToEndId: compactId(paymentIds[2]),
        outcome: 'credited',
        amount: '600000',
        currency: 'IDR',
        account: account.accountNumber,
        bankReference: 'CSV-CR-3',
        valueDate: '2026-11-29',
        paymentInfoId: compactId(batchId),
      });
    const file = await ingestion.receive(Readable.from([Buffer.from(csv)]), 'csv', 'results.csv');
    expect(await ingestion.ingest(file, context, report)).toMatchObject({ credited: 1, exceptions: 0 });

    const credit = await creditOf(paymentIds[2]);
    expect(credit.creditedAmount).toBe('600000.00');
    expect(credit.bankEvidence).toEqual({
      fileSha256: sha256(csv),
      fileFormat: 'csv',
      fileLine: 1,
      endToEndId: compactId(paymentIds[2]),
      entryReference: null,
      accountServicerReference: 'CSV-CR-3',
      bookingDate: null,
      amount: '600000',
      currency: 'IDR',
    });
  });
});
