import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  bankIntegrationConfigFrom,
  BankFileRefusedError,
  BankResultsIngestion,
  EXCEPTIONS_ALWAYS_QUEUED,
} from '@salur/bank-integration';
import { type EventStore, type RecordedEvent, SqliteEventStore } from '@salur/event-store';
import { type CsvCredit, creditsCsv, unknownPaymentId } from './support/exception-files';
import { seedSentPayments } from './support/sent-payments';

const context = {
  actor: { userId: 'h2h', role: 'bank-integration' as const },
  now: '2026-11-28T09:00:00.000Z',
  correlationId: 'c',
  causationId: 'j',
};
const report = async () => undefined;

/**
 * The bound on bad lines (issue 12): a file whose lines would put more items in the exception
 * queue than BANK_RESULT_MAX_EXCEPTIONS, or more than BANK_RESULT_MAX_EXCEPTION_PERCENT of its
 * lines once more than EXCEPTIONS_ALWAYS_QUEUED, is refused whole before anything of it is written.
 */
describe('the bound on bad lines of a bank result file', () => {
  const directory = mkdtempSync(join(tmpdir(), 'salur-bound-'));
  let store: EventStore;
  beforeAll(() => {
    store = new SqliteEventStore({ path: join(directory, 'events.db') });
  });
  afterAll(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const ingestionWith = (env: Record<string, string> = {}) =>
    new BankResultsIngestion(store, bankIntegrationConfigFrom({ BANK_FILES_DIR: join(directory, 'files'), ...env }));
  const ingest = async (ingestion: BankResultsIngestion, credits: readonly CsvCredit[]) => {
    const file = await ingestion.receive(Readable.from([Buffer.from(creditsCsv(credits))]), 'csv', 'r.csv');
    return ingestion.ingest(file, context, report).then(
      (summary) => ({ refused: undefined, summary }),
      (error: unknown) => {
        if (!(error instanceof BankFileRefusedError)) throw error;
        return { refused: { code: error.code, message: error.message }, summary: undefined };
      },
    );
  };
  /** `good` credits of sent payments, then `bad` lines of unknown payments. */
  const credits = async (good: number, bad: number): Promise<CsvCredit[]> => {
    const batchId = randomUUID();
    const sent = await seedSentPayments(store, batchId, good);
    const tag = batchId.slice(0, 8);
    return [
      ...sent.map((paymentId, n) => ({ paymentId, reference: `G-${tag}-${n}`, batchId })),
      ...Array.from({ length: bad }, (_, n) => ({ paymentId: unknownPaymentId(), reference: `U-${tag}-${n}` })),
    ];
  };
  const eventsAfter = async (position: number | undefined): Promise<RecordedEvent[]> => {
    const events: RecordedEvent[] = [];
    for await (const event of store.readAll(position === undefined ? {} : { from: position })) events.push(event);
    return events;
  };

  it('refuses a file whose bad lines exceed the share, writing nothing', async () => {
    const lines = await credits(75, 25);
    const head = await store.headPosition();
    const { refused } = await ingest(ingestionWith(), lines);
    expect(refused).toEqual({
      code: 'TOO_MANY_EXCEPTIONS',
      message: expect.stringContaining(
        '25 of 100 lines, more than 10% (BANK_RESULT_MAX_EXCEPTION_PERCENT); first: line 76',
      ),
    });
    expect(await eventsAfter(head)).toEqual([]);
  });

  it(`takes up to ${EXCEPTIONS_ALWAYS_QUEUED} bad lines whatever their share, and a larger file under the share`, async () => {
    const few = await ingest(ingestionWith(), await credits(5, EXCEPTIONS_ALWAYS_QUEUED));
    expect(few.summary).toMatchObject({ lines: 25, applied: 5, exceptions: EXCEPTIONS_ALWAYS_QUEUED });
    const under = await ingest(ingestionWith(), await credits(270, 30));
    expect(under.summary).toMatchObject({ lines: 300, applied: 270, exceptions: 30 });
  });

  it('stops reading at the first chunk over the count, and counts lines a setting lets through', async () => {
    const lines = await credits(0, 2_500);
    const head = await store.headPosition();
    const ingestion = ingestionWith({ BANK_RESULT_MAX_EXCEPTIONS: '10' });
    const reads: string[] = [];
    const readStream = store.readStream.bind(store);
    const spy = jest.spyOn(store, 'readStream').mockImplementation((name, options) => {
      reads.push(name);
      return readStream(name, options);
    });
    try {
      const { refused } = await ingest(ingestion, lines);
      expect(refused?.message).toContain('more than 10 (BANK_RESULT_MAX_EXCEPTIONS)');
    } finally {
      spy.mockRestore();
    }
    // One chunk of 1,000 lines decided, not the 2,500.
    expect(reads.filter((name) => name.startsWith('payment-')).length).toBe(1_000);
    expect(await eventsAfter(head)).toEqual([]);

    const lenient = await ingest(
      ingestionWith({ BANK_RESULT_MAX_EXCEPTIONS: '3000', BANK_RESULT_MAX_EXCEPTION_PERCENT: '100' }),
      lines.slice(0, 40),
    );
    expect(lenient.summary).toMatchObject({ lines: 40, exceptions: 40 });
  });
});
