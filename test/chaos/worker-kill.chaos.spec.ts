import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { EventStore, SqliteEventStore } from '@salur/event-store';
import { deleteQueueKeys } from '../bank-integration/support/redis-cleanup';
import { expireLockOfDeadWorker } from '../bank-integration/support/worker-process';
import { JobClient, LogCounter, maker, officer, progressDone, waitUntil, WorkerApp } from './support/worker-jobs';
import {
  approve,
  beneficiaryIdOf,
  checkLedgerAndReadModels,
  eventsOf,
  jobFinishes,
  period,
  programmeId,
  roundFacts,
  seedRound,
  sha256OnDisk,
} from './support/worker-ledger';
import { BANK_QUEUES, buildBatchesJobId, openRoundJobId, writeBankFileJobId } from '@salur/queue';
import { BuiltBatch, batchViewsProjection } from '@salur/batches';
import { roundProgressProjection } from '@salur/payments';

const BENEFICIARIES = 20_000;
const BATCH_MAX_PAYMENTS = 5_000;
const BATCHES = BENEFICIARIES / BATCH_MAX_PAYMENTS;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/**
 * The read models the checker compares with the log: the round's own. All six, rebuilt from
 * zero and compared, took ~80 s of this test on a loaded 2-core machine (the audit trail and
 * balances alone ~40 s); their agreement after crashes is the projection tests' subject.
 */
const ROUND_READ_MODELS = [roundProgressProjection, batchViewsProjection];

/**
 * The worker app is SIGKILLed three times in one round of 20,000 beneficiaries: while it opens
 * the round (past 40%), while it builds batches (between two batches' claims) and while it
 * writes bank files. Each time it is restarted, the job's retry finishes the work, and the
 * ledger shows every piece of work done exactly once.
 */
describe('the worker app SIGKILLed during a round of 20,000 beneficiaries', () => {
  const directory = mkdtempSync(join(tmpdir(), 'salur-chaos-kill-'));
  const prefix = `salur-test-chaos-kill-${randomUUID()}`;
  const filesDir = join(directory, 'bank-files');
  const worker = new WorkerApp({
    SQLITE_PATH: join(directory, 'events.db'),
    QUEUE_PREFIX: prefix,
    REDIS_URL,
    BANK_FILES_DIR: filesDir,
    BATCH_MAX_PAYMENTS: String(BATCH_MAX_PAYMENTS),
    EMBEDDED_WORKERS: 'false',
  });
  let store: EventStore;
  let client: JobClient;

  beforeAll(async () => {
    store = new SqliteEventStore({ path: join(directory, 'events.db') });
    await seedRound(store, BENEFICIARIES);
    client = await JobClient.connect(REDIS_URL, prefix, store);
  });
  afterAll(async () => {
    await worker.stop();
    await client?.close();
    await store?.close();
    await deleteQueueKeys(prefix);
    rmSync(directory, { recursive: true, force: true });
  });

  /** What BullMQ does 30 s after a worker died, done at once; then a new worker process. */
  async function restartAfterKill(...activeJobIds: Array<[string, string]>): Promise<void> {
    for (const [queue, jobId] of activeJobIds) await expireLockOfDeadWorker(client.queuePrefix, queue, jobId);
    worker.start();
  }

  async function finished(jobId: string): Promise<void> {
    await waitUntil(`${jobId} finished (worker output:\n${worker.output().slice(-2_000)})`, async () => {
      const job = await client.find(jobId);
      if (job?.state === 'failed') throw new Error(`${jobId} failed: ${job.failedReason}`);
      return job?.state === 'completed';
    });
  }

  it('finishes every job after each kill, with one payment per beneficiary, one batch per payment and each file once', async () => {
    const log = new LogCounter(store);
    worker.start();

    // (a) Opening the round: killed once 40% of the beneficiaries are done, before the end.
    const roundJobId = openRoundJobId(programmeId, period);
    await client.start(BANK_QUEUES.openRound, roundJobId, { programmeId, period, origin: officer });
    await waitUntil('the round is 40% done', async () => {
      return progressDone(await client.find(roundJobId)) >= 0.4 * BENEFICIARIES;
    });
    expect(await worker.kill()).toBe('SIGKILL');
    const scheduledAtKill = await log.count('PaymentScheduled');
    expect(scheduledAtKill).toBeGreaterThanOrEqual(0.4 * BENEFICIARIES);
    // Killed in the middle: some beneficiaries had no payment yet.
    expect(scheduledAtKill).toBeLessThan(BENEFICIARIES);
    expect((await client.find(roundJobId))?.state).toBe('active');
    await restartAfterKill([BANK_QUEUES.openRound, roundJobId]);
    await finished(roundJobId);
    expect((await client.find(roundJobId))?.result).toMatchObject({ total: BENEFICIARIES, conflicting: 0 });

    // (b) Building 4 batches: killed while the second batch's payments are being claimed.
    const buildJobId = buildBatchesJobId(programmeId, period, 'chaos-kill');
    await client.start(BANK_QUEUES.buildBatches, buildJobId, { programmeId, period, origin: maker });
    await waitUntil('one batch is built and the next one half claimed', async () => {
      const created = await log.count('BatchCreated');
      return created >= 1 && (await log.count('PaymentBatched')) >= created * BATCH_MAX_PAYMENTS + 1_000;
    });
    await worker.kill();
    const createdAtKill = await log.count('BatchCreated');
    expect(createdAtKill).toBeLessThan(BATCHES);
    // Claims recorded for a batch that is not: the state a retry must finish, not duplicate or strand.
    expect(await log.count('PaymentBatched')).toBeGreaterThan(createdAtKill * BATCH_MAX_PAYMENTS);
    await restartAfterKill([BANK_QUEUES.buildBatches, buildJobId]);
    await finished(buildJobId);
    const built = (await client.find(buildJobId))?.result as BuiltBatch[];
    expect(built).toHaveLength(BATCHES);

    // (c) Writing the 4 approved batches' files (two at a time): killed once one is 1,000 lines in.
    for (const { batchId } of built) await approve(store, batchId);
    const fileJobIds = built.map(({ batchId }) => writeBankFileJobId(batchId));
    for (const { batchId } of built) {
      await client.start(BANK_QUEUES.writeBankFile, writeBankFileJobId(batchId), { batchId, origin: maker });
    }
    await waitUntil('a bank file is 1,000 lines in', async () => {
      for (const jobId of fileJobIds) if (progressDone(await client.find(jobId)) >= 1_000) return true;
      return false;
    });
    await worker.kill();
    expect(await log.count('BatchFileGenerated')).toBeLessThan(2 * BATCHES);
    const outbound = join(filesDir, 'outbound');
    expect(readdirSync(outbound).filter((name) => name.endsWith('.partial')).length).toBeGreaterThan(0);
    const active: Array<[string, string]> = [];
    for (const jobId of fileJobIds) {
      if ((await client.find(jobId))?.state === 'active') active.push([BANK_QUEUES.writeBankFile, jobId]);
    }
    expect(active.length).toBeGreaterThan(0);
    await restartAfterKill(...active);
    for (const jobId of fileJobIds) await finished(jobId);
    await worker.stop();

    // Exactly once, as the ledger tells it. A second payment for a beneficiary fails the first
    // assertion (a count of 2); a payment claimed by two batches, or by none, the second.
    const facts = await roundFacts(store);
    const beneficiaries = Array.from({ length: BENEFICIARIES }, (_, index) => beneficiaryIdOf(index + 1));
    expect(beneficiaries.filter((id) => facts.scheduledPerBeneficiary.get(id) !== 1)).toEqual([]);
    expect(facts.scheduledPerBeneficiary.size).toBe(BENEFICIARIES);
    expect([...facts.batchesPerPayment.values()].filter((batches) => batches.length !== 1)).toEqual([]);
    expect(facts.batchesPerPayment.size).toBe(BENEFICIARIES);
    // A claim re-recorded by the retried build would be a second PaymentBatched.
    expect(await log.count('PaymentBatched')).toBe(BENEFICIARIES);
    expect([...facts.batches.keys()].sort()).toEqual(built.map((batch) => batch.batchId).sort());
    for (const batch of facts.batches.values()) {
      expect(batch).toEqual({ count: BATCH_MAX_PAYMENTS, controlSum: '3000000000.00' });
    }

    // Each batch's two files recorded once, and the bytes on disk are the recorded ones.
    expect(facts.files.map((file) => `${file.batchId}/${file.format}`).sort()).toEqual(
      built.flatMap(({ batchId }) => [`${batchId}/csv`, `${batchId}/pain001`]).sort(),
    );
    for (const file of facts.files) expect(await sha256OnDisk(filesDir, file.fileName)).toBe(file.sha256);
    expect(readdirSync(outbound).filter((name) => name.endsWith('.partial'))).toEqual([]);

    // Each job's end recorded once; the checker (with every read model rebuilt) finds nothing.
    for (const jobId of [roundJobId, buildJobId, ...fileJobIds]) {
      expect((await jobFinishes(store, jobId)).map((event) => event.data.outcome)).toEqual(['completed']);
    }
    expect(await eventsOf(store, 'BankJobRequested')).toHaveLength(2 + BATCHES);
    const report = await checkLedgerAndReadModels(store, join(directory, 'read-models.db'), ROUND_READ_MODELS);
    expect(report.violations).toEqual([]);
    expect(report.events).toBe(await log.total());
    expect({ kills: worker.kills, starts: worker.starts }).toEqual({ kills: 3, starts: 4 });
  });
});
