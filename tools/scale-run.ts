import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@salur/event-store';
import { deleteQueueKeys } from '../test/bank-integration/support/redis-cleanup';
import { JobClient, maker, officer, waitUntil, WorkerApp } from '../test/chaos/support/worker-jobs';
import { approve, eventsOf, period, programmeId, seedRound, sha256OnDisk } from '../test/chaos/support/worker-ledger';
import { BANK_QUEUES, buildBatchesJobId, openRoundJobId, writeBankFileJobId } from '@salur/queue';
import { BuiltBatch } from '@salur/batches';

/**
 * `npm run scale-run -- [beneficiaries] [batch size]`: the worker app as 1, 2 and 4 real
 * processes writing the bank files of one round (pain.001 + CSV per batch), each run on its own
 * copy of the same ledger and its own queue prefix. Prints the wall time per process count, the
 * ratio to one process, and checks exactly-once: each batch has one file per format, recorded
 * once, whose bytes match the recorded SHA-256. Figures go to SCALING.md.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PROCESS_COUNTS = [1, 2, 4];

async function main(): Promise<void> {
  const beneficiaries = Number(process.argv[2] ?? 40_000);
  const batchSize = Number(process.argv[3] ?? 2_500);
  const root = mkdtempSync(join(tmpdir(), 'salur-scale-'));
  const prepared = join(root, 'prepared');
  mkdirSync(prepared);
  try {
    const batchIds = await prepareApprovedRound(prepared, beneficiaries, batchSize);
    console.log(`Prepared ${beneficiaries} payments in ${batchIds.length} approved batches of ${batchSize}`);
    const rows: Array<{ processes: number; seconds: number }> = [];
    for (const processes of PROCESS_COUNTS) {
      const seconds = await writeFiles(root, prepared, batchIds, processes);
      rows.push({ processes, seconds });
      console.log(`${processes} process(es): ${seconds.toFixed(1)} s, each batch's two files recorded once`);
    }
    const one = rows[0].seconds;
    console.log('\n| worker processes | wall time | payments/s | speed-up vs 1 |\n|---|---|---|---|');
    for (const { processes, seconds } of rows) {
      const rate = Math.round(beneficiaries / seconds).toLocaleString('en');
      console.log(`| ${processes} | ${seconds.toFixed(1)} s | ${rate} | ${(one / seconds).toFixed(2)} |`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function workerEnv(directory: string, prefix: string, batchSize: number): Record<string, string> {
  return {
    SQLITE_PATH: join(directory, 'events.db'),
    QUEUE_PREFIX: prefix,
    REDIS_URL,
    BANK_FILES_DIR: join(directory, 'bank-files'),
    BATCH_MAX_PAYMENTS: String(batchSize),
    EMBEDDED_WORKERS: 'false',
  };
}

/** Seeds, opens the round and builds and approves its batches with one worker; returns the batch ids. */
async function prepareApprovedRound(directory: string, beneficiaries: number, batchSize: number): Promise<string[]> {
  const prefix = `salur-scale-${randomUUID()}`;
  const env = workerEnv(directory, prefix, batchSize);
  const store = new SqliteEventStore({ path: env.SQLITE_PATH });
  await seedRound(store, beneficiaries);
  const client = await JobClient.connect(REDIS_URL, prefix, store);
  const worker = new WorkerApp(env);
  worker.start();
  try {
    const roundJobId = openRoundJobId(programmeId, period);
    await client.start(BANK_QUEUES.openRound, roundJobId, { programmeId, period, origin: officer });
    await finished(client, roundJobId);
    const buildJobId = buildBatchesJobId(programmeId, period, 'scale-run');
    await client.start(BANK_QUEUES.buildBatches, buildJobId, { programmeId, period, origin: maker });
    await finished(client, buildJobId);
    const built = (await client.find(buildJobId))?.result as BuiltBatch[];
    for (const { batchId } of built) await approve(store, batchId);
    return built.map(({ batchId }) => batchId);
  } finally {
    await worker.stop();
    await client.close();
    await store.close();
    await deleteQueueKeys(prefix);
  }
}

/** One timed run: `processes` workers on a copy of the prepared ledger; returns seconds to the last file. */
async function writeFiles(root: string, prepared: string, batchIds: string[], processes: number): Promise<number> {
  const directory = join(root, `run-${processes}`);
  mkdirSync(directory);
  copyFileSync(join(prepared, 'events.db'), join(directory, 'events.db'));
  const prefix = `salur-scale-${randomUUID()}`;
  const env = workerEnv(directory, prefix, 5_000);
  const store = new SqliteEventStore({ path: env.SQLITE_PATH });
  const client = await JobClient.connect(REDIS_URL, prefix, store);
  const apps = Array.from({ length: processes }, () => new WorkerApp(env));
  try {
    for (const app of apps) app.start();
    // Timed from when every process serves its queues: start-up (ts-node) is not the work measured.
    await waitUntil('every worker process is ready', async () =>
      apps.every((app) => app.output().includes('Processing')),
    );
    const started = process.hrtime.bigint();
    for (const batchId of batchIds) {
      await client.start(BANK_QUEUES.writeBankFile, writeBankFileJobId(batchId), { batchId, origin: maker });
    }
    for (const batchId of batchIds) await finished(client, writeBankFileJobId(batchId));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await expectEachFileOnce(store, env.BANK_FILES_DIR, batchIds);
    return seconds;
  } finally {
    await Promise.all(apps.map((app) => app.stop()));
    await client.close();
    await store.close();
    await deleteQueueKeys(prefix);
  }
}

async function finished(client: JobClient, jobId: string): Promise<void> {
  await waitUntil(`${jobId} finished`, async () => {
    const job = await client.find(jobId);
    if (job?.state === 'failed') throw new Error(`${jobId} failed: ${job.failedReason}`);
    return job?.state === 'completed';
  });
}

/** Exactly once: one BatchFileGenerated per batch and format, and the bytes on disk hash to it. */
async function expectEachFileOnce(store: SqliteEventStore, filesDir: string, batchIds: string[]): Promise<void> {
  const recorded = await eventsOf(store, 'BatchFileGenerated');
  const keys = recorded.map((event) => `${String(event.data.batchId)}/${String(event.data.format)}`);
  if (new Set(keys).size !== keys.length || keys.length !== 2 * batchIds.length) {
    throw new Error(`Expected ${2 * batchIds.length} files recorded once each, found ${keys.length}`);
  }
  for (const event of recorded) {
    const onDisk = await sha256OnDisk(filesDir, String(event.data.fileName));
    if (onDisk !== event.data.sha256) throw new Error(`${String(event.data.fileName)}: bytes differ from the record`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
