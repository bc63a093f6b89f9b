import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  BankExceptionQueries,
  bankExceptionsProjection,
  bankIntegrationConfigFrom,
  BankResultsIngestion,
} from '@salur/bank-integration';
import { bankExceptionIdOf, bankExceptionStreamName } from '@salur/bank-integration/domain';
import type { EventStore } from '@salur/event-store';
import type { Page, PageRequest } from '@salur/projections';
import { type Backend, type BackendFactory, postgresBackend, sqliteBackend } from '../projections/support/backends';
import {
  dumpTables,
  expectedTables,
  readLog,
  startEngine,
  waitUntilApplied,
} from '../projections/support/engine-harness';
import { openTestVault, type TestVault } from '../support/personal-data';
import { fileWithFewBadLines } from './support/exception-files';
import { seedSentPayments } from './support/sent-payments';

const context = {
  actor: { userId: 'h2h', role: 'bank-integration' as const },
  now: '2026-11-28T09:00:00.000Z',
  correlationId: 'c',
  causationId: 'j',
};
const report = async () => undefined;

async function allPages<Item>(fetch: (page: PageRequest) => Promise<Page<Item>>, limit: number): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await fetch({ limit, cursor });
    items.push(...page.items);
    if (page.nextCursor === null) return items;
    cursor = page.nextCursor;
  }
  throw new Error('more than 100 pages');
}

/**
 * The exception queue on both dialects, fed by a real ingestion through the real adapters: the
 * tables equal the pure fold of the log, the list pages and filters, the counts per batch and file
 * follow assignment and resolution.
 */
describe.each([
  ['SQLite', sqliteBackend],
  ['PostgreSQL', postgresBackend],
] as ReadonlyArray<[string, BackendFactory]>)('the exception queue on %s', (_name, createBackend) => {
  let backend: Backend;
  let personalData: TestVault;
  let store: EventStore;
  let directory: string;
  beforeEach(async () => {
    backend = await createBackend();
    personalData = await openTestVault();
    // As the apps see the store: personal data sealed on the way in, opened on the way out.
    store = personalData.sealing(backend.store);
    directory = mkdtempSync(join(tmpdir(), 'salur-exceptions-'));
  });
  afterEach(async () => {
    await backend.dispose();
    await personalData.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('lists the bad lines and the short credit of an ingested file, pages them, and counts them per batch and file', async () => {
    const batchId = randomUUID();
    const payments = await seedSentPayments(store, batchId, 4);
    const ingestion = new BankResultsIngestion(store, bankIntegrationConfigFrom({ BANK_FILES_DIR: directory }));
    const file = await ingestion.receive(
      Readable.from([Buffer.from(fileWithFewBadLines(batchId, payments, 'DB'))]),
      'csv',
      'results.csv',
    );
    expect(await ingestion.ingest(file, context, report)).toMatchObject({ lines: 6, shortCredits: 1, exceptions: 4 });

    const id = (line: number) => bankExceptionIdOf(file.sha256, line);
    const append = (line: number, type: string, data: Record<string, unknown>) =>
      store.append(bankExceptionStreamName(id(line)), [
        {
          id: randomUUID(),
          type,
          data: {
            exceptionId: id(line),
            sha256: file.sha256,
            line,
            paymentId: null,
            batchId,
            at: context.now,
            ...data,
          },
        },
      ]);
    await append(3, 'BankResultExceptionAssigned', { assigneeId: 'op-1', assignedBy: 'lead' });
    await append(4, 'BankResultExceptionAssigned', { assigneeId: 'op-1', assignedBy: 'lead' });
    const { position: head } = await append(4, 'BankResultExceptionResolved', {
      reason: 'bank corrected it',
      resolvedBy: 'op-1',
    });

    const running = await startEngine(store, backend.readModel, [bankExceptionsProjection], {
      untilPosition: head,
    });
    try {
      await waitUntilApplied(running.engine, head);
      const log = await readLog(store);
      expect(await dumpTables(running.db, bankExceptionsProjection)).toEqual(
        expectedTables(bankExceptionsProjection, log),
      );

      const queue = new BankExceptionQueries(running.db, personalData.vault);
      const all = await allPages((page) => queue.list({}, page), 2);
      expect(all.map((item) => [item.line, item.reason, item.status])).toEqual([
        [2, 'SHORT_CREDIT', 'open'],
        [3, 'UNKNOWN_REFERENCE', 'assigned'],
        [4, 'AMOUNT_DIFFERS', 'resolved'],
        [5, 'ACCOUNT_DIFFERS', 'open'],
        [6, 'DUPLICATE', 'open'],
      ]);
      expect(all.every((item) => item.batchId === batchId && item.sha256 === file.sha256)).toBe(true);
      expect(all.find((item) => item.line === 5)?.accountNumber).toBe('009900000000777');

      const open = await allPages((page) => queue.list({ status: 'open', batchId }, page), 1);
      expect(open.map((item) => item.line)).toEqual([2, 5, 6]);
      expect((await queue.list({ reason: 'SHORT_CREDIT', sha256: file.sha256 })).items).toHaveLength(1);
      expect((await queue.list({ sha256: 'a'.repeat(64) })).items).toEqual([]);

      const counts = { total: 5, open: 3, assigned: 1, resolved: 1, shortCredits: 1 };
      expect(await queue.countsOf([batchId], [file.sha256])).toEqual([
        { id: `batch/${batchId}`, kind: 'batch', key: batchId, ...counts },
        { id: `file/${file.sha256}`, kind: 'file', key: file.sha256, ...counts },
      ]);
      expect((await queue.listCounts('file')).items).toEqual([expect.objectContaining({ key: file.sha256 })]);
    } finally {
      await running.stop();
    }
  });
});
