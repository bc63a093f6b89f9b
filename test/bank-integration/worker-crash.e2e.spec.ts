import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handleCommand, loadStream } from '@salur/application';
import { batchDecider, batchStreamName } from '@salur/batches/domain';
import { periodsOfSchedule } from '@salur/programmes/domain';
import { EventStore, RecordedEvent, SqliteEventStore } from '@salur/event-store';
import { Job, Queue } from 'bullmq';
import IORedis, { Redis } from 'ioredis';
import { sha256Of } from '../../libs/bank-integration/src/application/bank-file-writer';
import { deleteQueueKeys } from './support/redis-cleanup';
import { expireLockOfDeadWorker, killed, startWorkerProcess } from './support/worker-process';
import { xsdErrors } from './support/xsd';
import {
  BANK_QUEUES,
  buildBatchesJobId,
  identifyLedger,
  ledgerQueuePrefix,
  openRoundJobId,
  writeBankFileJobId,
} from '@salur/queue';

const BENEFICIARIES = 5_000;
const programmeId = 'BANTU-UMAK-2026';
const period = '2026-11';
const origin = { actor: { userId: 'po-1', role: 'programme-officer' }, correlationId: randomUUID() };
const POLL_MS = 5;

/**
 * The worker app is killed with SIGKILL in the middle of a job, restarted, and the job's retry
 * finishes it: exactly one payment per beneficiary after a kill during a round past 60%, and
 * exactly one recorded file per format (whose bytes match the recorded SHA-256) after a kill
 * while the bank file was being written.
 */
describe('the worker app killed with SIGKILL during a job', () => {
  const directory = mkdtempSync(join(tmpdir(), 'salur-worker-crash-'));
  const prefix = `salur-test-crash-${randomUUID()}`;
  const env = {
    SQLITE_PATH: join(directory, 'events.db'),
    QUEUE_PREFIX: prefix,
    BANK_FILES_DIR: join(directory, 'bank-files'),
    EMBEDDED_WORKERS: 'false',
  };
  let store: EventStore;
  let redis: Redis;
  /** The ledger's queues: QUEUE_PREFIX, then the identity the worker reads back from the store. */
  let queuePrefix: string;
  const queues = new Map<string, Queue>();
  const queue = (name: string) => {
    if (!queues.has(name)) queues.set(name, new Queue(name, { connection: redis, prefix: queuePrefix }));
    return queues.get(name) as Queue;
  };

  beforeAll(async () => {
    store = new SqliteEventStore({ path: env.SQLITE_PATH });
    redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    await seed(store);
    queuePrefix = ledgerQueuePrefix(prefix, await identifyLedger(store));
  });
  afterAll(async () => {
    for (const open of queues.values()) await open.close();
    redis?.disconnect();
    await store?.close();
    await deleteQueueKeys(prefix);
    rmSync(directory, { recursive: true, force: true });
  });

  /** Polls a job until `until` holds; returns the job as then seen. */
  async function watch(name: string, jobId: string, until: (job: Job) => boolean): Promise<Job> {
    for (;;) {
      const job = await queue(name).getJob(jobId);
      if (job && until(job)) return job;
      if (job?.failedReason && job.finishedOn) throw new Error(`${jobId} failed: ${job.failedReason}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
  const done = (job: Job) => (job.progress as { done?: number }).done ?? 0;
  const finished = (job: Job) => job.finishedOn !== undefined && job.returnvalue !== null;

  it('opens a round exactly once per beneficiary after a kill past 60%, then writes the bank file exactly once after a kill mid-file', async () => {
    // 1. Kill the worker once the round has reported at least 60% and before it finished.
    let worker = startWorkerProcess(env);
    const roundJobId = openRoundJobId(programmeId, period);
    await queue(BANK_QUEUES.openRound).add(
      BANK_QUEUES.openRound,
      { programmeId, period, origin },
      { jobId: roundJobId },
    );
    const beforeKill = await watch(BANK_QUEUES.openRound, roundJobId, (job) => done(job) >= 0.6 * BENEFICIARIES);
    worker.child.kill('SIGKILL');
    expect(await killed(worker.child)).toBe('SIGKILL');
    expect(done(beforeKill)).toBeLessThan(BENEFICIARIES);
    const scheduledAtKill = (await events(store, 'PaymentScheduled')).length;
    expect(scheduledAtKill).toBeGreaterThanOrEqual(0.6 * BENEFICIARIES);
    expect(scheduledAtKill).toBeLessThan(BENEFICIARIES);
    expect(await queue(BANK_QUEUES.openRound).getJobState(roundJobId)).toBe('active');

    // Restart: the retried job finishes the round; no beneficiary gets a second payment.
    await expireLockOfDeadWorker(queuePrefix, BANK_QUEUES.openRound, roundJobId);
    worker = startWorkerProcess(env);
    const round = await watch(BANK_QUEUES.openRound, roundJobId, finished);
    const scheduled = await events(store, 'PaymentScheduled');
    expect(scheduled).toHaveLength(BENEFICIARIES);
    expect(new Set(scheduled.map((event) => event.data.beneficiaryId)).size).toBe(BENEFICIARIES);
    expect(new Set(scheduled.map((event) => event.streamName)).size).toBe(BENEFICIARIES);
    expect(round.returnvalue).toMatchObject({ total: BENEFICIARIES });
    expect(round.returnvalue.scheduled + scheduledAtKill).toBeGreaterThanOrEqual(BENEFICIARIES);

    // 2. One batch of 5,000, approved; kill the worker while its bank file is being written.
    const buildJobId = buildBatchesJobId(programmeId, period, 'crash-test');
    const maker = { actor: { userId: 'fo-maker', role: 'finance-officer' }, correlationId: randomUUID() };
    await queue(BANK_QUEUES.buildBatches).add(
      BANK_QUEUES.buildBatches,
      { programmeId, period, origin: maker },
      { jobId: buildJobId },
    );
    const built = await watch(BANK_QUEUES.buildBatches, buildJobId, finished);
    const [{ batchId }] = built.returnvalue as Array<{ batchId: string }>;
    await approve(store, batchId);
    const fileJobId = writeBankFileJobId(batchId);
    await queue(BANK_QUEUES.writeBankFile).add(
      BANK_QUEUES.writeBankFile,
      { batchId, origin: maker },
      { jobId: fileJobId },
    );
    const midFile = await watch(BANK_QUEUES.writeBankFile, fileJobId, (job) => done(job) >= 1_000);
    worker.child.kill('SIGKILL');
    await killed(worker.child);
    expect(done(midFile)).toBeLessThan(BENEFICIARIES);
    const outbound = join(env.BANK_FILES_DIR, 'outbound');
    expect(readdirSync(outbound).filter((name) => name.endsWith('.partial'))).toHaveLength(2);
    expect(readdirSync(outbound).filter((name) => !name.endsWith('.partial'))).toHaveLength(0);
    expect(await events(store, 'BatchFileGenerated')).toHaveLength(0);

    await expireLockOfDeadWorker(queuePrefix, BANK_QUEUES.writeBankFile, fileJobId);
    worker = startWorkerProcess(env);
    await watch(BANK_QUEUES.writeBankFile, fileJobId, finished);
    worker.child.kill('SIGKILL');
    await killed(worker.child);

    const generated = await events(store, 'BatchFileGenerated');
    expect(generated.map((event) => event.data.format).sort()).toEqual(['csv', 'pain001']);
    expect(readdirSync(outbound).filter((name) => name.endsWith('.partial'))).toHaveLength(0);
    for (const event of generated) {
      const path = join(outbound, String(event.data.fileName));
      expect(existsSync(path)).toBe(true);
      expect(await sha256Of(path)).toBe(event.data.sha256);
      expect(event.data).toMatchObject({ count: BENEFICIARIES, controlSum: '3000000000.00' });
    }
    const xml = readFileSync(
      join(outbound, String(generated.find((e) => e.data.format === 'pain001')?.data.fileName)),
      'utf8',
    );
    expect(xml.match(/<CdtTrfTxInf>/g)).toHaveLength(BENEFICIARIES);
    expect(await xsdErrors(xml, 'pain.001.001.09')).toEqual([]);
  });
});

async function events(store: EventStore, type: string): Promise<RecordedEvent[]> {
  const found: RecordedEvent[] = [];
  for await (const event of store.readAll()) if (event.type === type) found.push(event);
  return found;
}

/** The programme and its beneficiaries, written straight to the log the worker reads. */
async function seed(store: EventStore): Promise<void> {
  const at = '2026-11-01T00:00:00.000Z';
  const metadata = { actor: { userId: 'seed', role: 'admin' } };
  await store.append(`programme-${programmeId}`, [
    {
      id: randomUUID(),
      type: 'ProgrammeCreated',
      data: {
        programmeId,
        code: 'BANTU-UMAK',
        name: 'Bantuan Langsung Tunai',
        fiscalYear: 2026,
        currency: 'IDR',
        budgetCeiling: '10000000000.00',
        benefitAmount: '600000.00',
        createdBy: 'seed',
        at,
      },
      metadata,
    },
    {
      id: randomUUID(),
      type: 'ProgrammeScheduleDeclared',
      data: { programmeId, kind: 'monthly', periods: periodsOfSchedule('monthly', 2026), declaredBy: 'seed', at },
      metadata,
    },
  ]);
  for (let n = 1; n <= BENEFICIARIES; n++) {
    const beneficiaryId = `b0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    await store.append(`beneficiary-${beneficiaryId}`, [
      {
        id: randomUUID(),
        type: 'BeneficiaryEnrolled',
        data: {
          beneficiaryId,
          programmeId,
          nik: `160601450985${String(n).padStart(4, '0')}`,
          kk: '1606010101100001',
          name: `SITI AMINAH ${n}`,
          regionCode: '16.06.01.2001',
          bankAccount: {
            bankCode: '002',
            accountNumber: `0019010${String(n).padStart(8, '0')}`,
            accountHolderName: `SITI AMINAH ${n}`,
          },
          enrolledBy: 'seed',
          at,
        },
        metadata,
      },
    ]);
  }
}

/** Two approvers sign the batch off (the budget reservation of the HTTP path is not what this test is about). */
async function approve(store: EventStore, batchId: string): Promise<void> {
  const { state } = await loadStream(store, batchStreamName(batchId), batchDecider);
  if (state.status === 'absent') throw new Error('no batch');
  for (const userId of ['fo-approver-a', 'fo-approver-b']) {
    await handleCommand(
      store,
      batchStreamName(batchId),
      batchDecider,
      {
        type: 'ApproveBatch',
        data: { batchId, contentHash: state.contentHash },
        context: { actor: { userId, role: 'finance-officer' }, now: new Date().toISOString() },
      },
      { metadata: { actor: { userId, role: 'finance-officer' } } },
    );
  }
}
