import { SENT_TO_ACCOUNT, seedSentPayments } from '../bank-integration/support/sent-payments';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  bankIntegrationConfigFrom,
  BankResultsIngestion,
  CAMT054_NAMESPACE,
  compactId,
  type IngestBankResultsJobData,
} from '@salur/bank-integration';
import { EventStore, PostgresEventStore, RecordedEvent, SqliteEventStore } from '@salur/event-store';
import { checkLedger } from '@salur/invariants';
import { paymentIdFor, paymentStreamName } from '@salur/payments/domain';
import { Job, Queue } from 'bullmq';
import IORedis from 'ioredis';
import { deleteQueueKeys } from '../bank-integration/support/redis-cleanup';
import { killed, startWorkerProcess } from '../bank-integration/support/worker-process';
import { createFreshDatabase, FreshDatabase } from '../support/postgres';
import { BANK_QUEUES, identifyLedger, ingestJobId, ledgerQueuePrefix } from '@salur/queue';

const PAYMENTS = 2_000;
const batchId = '5d6f1b7e-2c43-4e6a-9d1f-0000000000c1';
const ACCOUNT = SENT_TO_ACCOUNT;
const POLL_MS = 20;
const origin = { actor: { userId: 'h2h', role: 'bank-integration' as const }, correlationId: randomUUID() };

/**
 * Issue 8: the same bank result file ingested at the same time by two worker processes, through
 * two jobs whose ids differ (so BullMQ's deduplication does not hide the race), on one shared
 * store: PostgreSQL (one append per payment) and one SQLite file (a transaction per thousand
 * lines). Exactly one effect per line: one PaymentCredited per payment, each exception once,
 * one BankFileIngested, and the invariant checker finds nothing.
 */
describe.each(['postgres', 'sqlite'] as const)('one camt.054 ingested by two workers at once (%s)', (kind) => {
  const directory = mkdtempSync(join(tmpdir(), 'salur-concurrent-ingest-'));
  const prefix = `salur-test-twin-ingest-${randomUUID()}`;
  let database: FreshDatabase | undefined;
  let store: EventStore;
  let redis: IORedis;
  let queue: Queue;
  let env: Record<string, string>;
  const workers: Array<ReturnType<typeof startWorkerProcess>> = [];

  beforeAll(async () => {
    const common = { QUEUE_PREFIX: prefix, BANK_FILES_DIR: join(directory, 'files'), EMBEDDED_WORKERS: 'false' };
    if (kind === 'postgres') {
      database = await createFreshDatabase('twin_ingest');
      env = { ...common, EVENT_STORE: 'postgres', DATABASE_URL: database.url };
      store = await PostgresEventStore.connect({ connectionString: database.url });
    } else {
      env = { ...common, SQLITE_PATH: join(directory, 'events.db') };
      store = new SqliteEventStore({ path: env.SQLITE_PATH });
    }
    redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    // The workers serve the ledger's own queues (its identity, read back from the store they share).
    const ledgerPrefix = ledgerQueuePrefix(prefix, await identifyLedger(store));
    queue = new Queue(BANK_QUEUES.ingestBankResults, { connection: redis, prefix: ledgerPrefix });
  });
  afterAll(async () => {
    for (const worker of workers) {
      worker.child.kill('SIGKILL');
      await killed(worker.child);
    }
    await queue?.close();
    redis?.disconnect();
    await store?.close();
    await database?.drop();
    await deleteQueueKeys(prefix);
    rmSync(directory, { recursive: true, force: true });
  });

  it('credits every payment once and records each exception once', async () => {
    const paymentIds = await seedSentPayments(store, batchId, PAYMENTS);
    const unknown = paymentIdFor('BANTU-UMAK-2026', '2026-11', randomUUID());
    // The good credits, with three bad lines among them: an unknown payment, an exponent, a repeated credit.
    const lines = paymentIds.map((paymentId, n) => ({ endToEndId: compactId(paymentId), amount: '600000.00', n }));
    lines[1_500] = { ...lines[1_500], amount: '6E5' };
    lines.splice(500, 0, { endToEndId: compactId(unknown), amount: '600000.00', n: -1 });
    lines.push({ endToEndId: compactId(paymentIds[7]), amount: '600000.00', n: -3 });
    const ingestion = new BankResultsIngestion(
      store,
      bankIntegrationConfigFrom({ BANK_FILES_DIR: env.BANK_FILES_DIR }),
    );
    const file = await ingestion.receive(Readable.from([Buffer.from(camt054(lines))]), 'xml', 'twin.camt054.xml');

    for (let n = 0; n < 2; n++) workers.push(startWorkerProcess(env));
    await Promise.all(workers.map((worker) => until(async () => worker.output().includes('Worker running'))));
    const data: IngestBankResultsJobData = { file, origin };
    const jobIds = ['a', 'b'].map((name) => `${ingestJobId(file.sha256)}.twin-${name}`);
    await queue.addBulk(jobIds.map((jobId) => ({ name: BANK_QUEUES.ingestBankResults, data, opts: { jobId } })));

    const [first, second] = await Promise.all(jobIds.map((jobId) => finished(queue, jobId)));
    // Both ran at the same time, each in its own process.
    expect(first.processedOn).toBeLessThan(second.finishedOn as number);
    expect(second.processedOn).toBeLessThan(first.finishedOn as number);

    const credits = (await eventsOf(store, 'PaymentCredited')).map((event) => event.streamName);
    expect(credits).toHaveLength(PAYMENTS - 1);
    expect(new Set(credits).size).toBe(PAYMENTS - 1);
    expect(credits).not.toContain(paymentStreamName(paymentIds[1_500]));

    const fileEvents = await streamOf(store, `bank-file-${file.sha256}`);
    expect(fileEvents.filter((event) => event.type === 'BankFileIngested')).toHaveLength(1);
    const exceptions = fileEvents
      .filter((event) => event.type === 'BankResultException')
      .map((event) => `${String(event.data.line)}:${String(event.data.reason)}`);
    expect(exceptions).toEqual(['501:UNKNOWN_REFERENCE', '1502:INVALID_LINE', `${PAYMENTS + 2}:DUPLICATE`]);
    expect(fileEvents.at(-1)?.data).toMatchObject({ lines: PAYMENTS + 2, exceptions: 3 });
    for (const job of [first, second]) expect(job.returnvalue).toMatchObject({ lines: PAYMENTS + 2, exceptions: 3 });

    const report = await checkLedger(store);
    expect(report.violations).toEqual([]);
    expect(report.ok).toBe(true);
  });
});

/** Polls until `done` holds; the chaos suite's own timeout bounds the wait. */
async function until(done: () => Promise<boolean>): Promise<void> {
  while (!(await done())) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
}

/** Waits for a job to complete; a job that failed for good fails the test with its reason. */
async function finished(queue: Queue, jobId: string): Promise<Job> {
  for (;;) {
    const job = await queue.getJob(jobId);
    const state = job ? await job.getState() : 'missing';
    // Read again once completed: a job read before it finished keeps no processedOn or finishedOn.
    if (job && state === 'completed') return (await queue.getJob(jobId)) ?? job;
    if (job && state === 'failed') throw new Error(`${jobId} failed: ${job.failedReason}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function camt054(lines: ReadonlyArray<{ endToEndId: string; amount: string; n: number }>): string {
  const entries = lines.map(
    ({ endToEndId, amount, n }) =>
      `<Ntry><Amt Ccy="IDR">${amount}</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>` +
      '<BookgDt><Dt>2026-11-27</Dt></BookgDt><ValDt><Dt>2026-11-27</Dt></ValDt>' +
      `<NtryDtls><TxDtls><Refs><AcctSvcrRef>TW${n}</AcctSvcrRef><PmtInfId>${compactId(batchId)}</PmtInfId>` +
      `<EndToEndId>${endToEndId}</EndToEndId></Refs><Amt Ccy="IDR">${amount}</Amt><CdtDbtInd>DBIT</CdtDbtInd>` +
      `<RltdPties><CdtrAcct><Id><Othr><Id>${ACCOUNT}</Id></Othr></Id></CdtrAcct></RltdPties></TxDtls></NtryDtls></Ntry>\n`,
  );
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="${CAMT054_NAMESPACE}"><BkToCstmrDbtCdtNtfctn>` +
    '<GrpHdr><MsgId>NTF-TWIN</MsgId><CreDtTm>2026-11-27T09:00:00</CreDtTm></GrpHdr>' +
    '<Ntfctn><Id>NTF-TWIN</Id><Acct><Id><Othr><Id>0012301000000099</Id></Othr></Id></Acct>\n' +
    entries.join('') +
    '</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>\n'
  );
}

async function eventsOf(store: EventStore, type: string): Promise<RecordedEvent[]> {
  const found: RecordedEvent[] = [];
  for await (const event of store.readAll()) if (event.type === type) found.push(event);
  return found;
}

async function streamOf(store: EventStore, streamName: string): Promise<RecordedEvent[]> {
  const found: RecordedEvent[] = [];
  for await (const event of store.readStream(streamName)) found.push(event);
  return found;
}
