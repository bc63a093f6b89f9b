import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  bankIntegrationConfigFrom,
  BankResultsIngestion,
  compactId,
  IngestionSummary,
  PAIN002_NAMESPACE,
} from '@salur/bank-integration';
import { EventStore, SqliteEventStore } from '@salur/event-store';
import { paymentStreamName } from '@salur/payments/domain';
import { SENT_AT, SENT_TO_ACCOUNT, seedSentPayments } from './support/sent-payments';

const context = {
  actor: { userId: 'ingest', role: 'bank-integration' as const },
  now: SENT_AT,
  correlationId: 'c',
  causationId: 'j',
};
const batchId = '5d6f1b7e-2c43-4e6a-9d1f-000000000014';
const report = async () => undefined;
/** More than one chunk of the ingestion (LINES_PER_CHUNK, 1,000): the two statuses are decided apart. */
const ACKNOWLEDGEMENTS_BETWEEN = 1_000;

/**
 * Issue 14: a pain.002 that says RJCT and then ACSC for one EndToEndId contradicts itself. Both
 * lines go to the exception queue as CONFLICTING_STATUS, neither is applied (the payment stays
 * sent, whichever line came first and however far apart), the other lines are applied as usual,
 * and the file is ingested once.
 */
describe('conflicting statuses for one EndToEndId in one pain.002', () => {
  const directory = mkdtempSync(join(tmpdir(), 'salur-conflicts-'));
  let store: EventStore;
  let ingestion: BankResultsIngestion;

  beforeAll(() => {
    store = new SqliteEventStore({ path: join(directory, 'events.db') });
    ingestion = new BankResultsIngestion(
      store,
      bankIntegrationConfigFrom({ BANK_FILES_DIR: join(directory, 'files') }),
    );
  });
  afterAll(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('records both lines as exceptions, applies neither, and still ingests the file', async () => {
    const [conflicting, reversed, rejected, acknowledged] = await seedSentPayments(store, batchId, 4);
    const lines = [
      { paymentId: conflicting, status: 'RJCT' },
      { paymentId: reversed, status: 'ACSC' },
      { paymentId: rejected, status: 'RJCT' },
      ...Array.from({ length: ACKNOWLEDGEMENTS_BETWEEN }, () => ({ paymentId: acknowledged, status: 'ACSC' })),
      { paymentId: conflicting, status: 'ACSC' },
      { paymentId: reversed, status: 'RJCT' },
    ];
    const file = await ingestion.receive(Readable.from([Buffer.from(pain002(lines))]), 'xml', 'status.xml');

    const summary = await ingestion.ingest(file, context, report);

    const last = lines.length;
    expect(summary).toMatchObject({
      alreadyIngested: false,
      lines: last,
      applied: 1,
      rejected: 1,
      acknowledged: ACKNOWLEDGEMENTS_BETWEEN,
      exceptions: 4,
      exceptionReasons: { CONFLICTING_STATUS: 4 },
    });
    expect(exceptionsByLine(summary)).toEqual({
      1: 'CONFLICTING_STATUS',
      2: 'CONFLICTING_STATUS',
      [last - 1]: 'CONFLICTING_STATUS',
      [last]: 'CONFLICTING_STATUS',
    });
    expect(summary.firstExceptions[0].detail).toMatch(/conflicting outcomes .*rejected and settled/);
    expect(await recordedExceptions(store, file.sha256)).toEqual(exceptionsByLine(summary));
    for (const paymentId of [conflicting, reversed, acknowledged]) {
      expect(await typesOf(store, paymentStreamName(paymentId))).toEqual([
        'PaymentScheduled',
        'PaymentBatched',
        'PaymentSentToBank',
      ]);
    }
    expect((await typesOf(store, paymentStreamName(rejected))).at(-1)).toBe('PaymentRejected');

    const head = await store.headPosition();
    expect(await ingestion.ingest(file, context, report)).toMatchObject({ alreadyIngested: true, exceptions: 4 });
    expect(await store.headPosition()).toBe(head);
  });
});

function pain002(lines: ReadonlyArray<{ paymentId: string; status: string }>): string {
  const transactions = lines.map(
    ({ paymentId, status }, index) =>
      `<TxInfAndSts><OrgnlEndToEndId>${compactId(paymentId)}</OrgnlEndToEndId><TxSts>${status}</TxSts>` +
      (status === 'RJCT' ? '<StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf>' : '') +
      `<AcctSvcrRef>ST-${index}</AcctSvcrRef><OrgnlTxRef><Amt><InstdAmt Ccy="IDR">600000.00</InstdAmt></Amt>` +
      `<CdtrAcct><Id><Othr><Id>${SENT_TO_ACCOUNT}</Id></Othr></Id></CdtrAcct></OrgnlTxRef></TxInfAndSts>\n`,
  );
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="${PAIN002_NAMESPACE}"><CstmrPmtStsRpt>` +
    '<GrpHdr><MsgId>PSR-CONFLICT</MsgId><CreDtTm>2026-11-27T09:00:00</CreDtTm></GrpHdr>' +
    `<OrgnlPmtInfAndSts><OrgnlPmtInfId>${compactId(batchId)}</OrgnlPmtInfId>\n` +
    transactions.join('') +
    '</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>\n'
  );
}

function exceptionsByLine(summary: IngestionSummary): Record<number, string> {
  return Object.fromEntries(summary.firstExceptions.map((exception) => [exception.line, exception.reason]));
}

async function recordedExceptions(store: EventStore, sha256: string): Promise<Record<number, string>> {
  const found: Record<number, string> = {};
  for await (const event of store.readStream(`bank-file-${sha256}`)) {
    if (event.type === 'BankResultException') found[event.data.line as number] = event.data.reason as string;
  }
  return found;
}

async function typesOf(store: EventStore, streamName: string): Promise<string[]> {
  const types: string[] = [];
  for await (const event of store.readStream(streamName)) types.push(event.type);
  return types;
}
