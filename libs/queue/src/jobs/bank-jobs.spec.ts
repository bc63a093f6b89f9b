import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '@salur/event-store';
import { Worker } from 'bullmq';
import { RedisConnection } from '../redis-connection';
import { BankJobs } from './bank-jobs';
import { BANK_QUEUES, openRoundJobId } from './job-ids';
import { jobsConfigFrom } from './jobs.config';
import { identifyLedger, LEDGER_STREAM, QueueNaming } from './ledger-identity';
import { BankJobLedger } from './recovery/bank-job-ledger';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const origin = { actor: { userId: 'po-1', role: 'programme-officer' as const }, correlationId: 'c-1' };

describe('the ledger identity', () => {
  it('is written once, by whichever process comes first, and read back by everyone', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    try {
      const ids = await Promise.all(['a', 'b', 'c'].map((proposed) => identifyLedger(store, `ledger-${proposed}`)));
      expect(new Set(ids).size).toBe(1);
      expect(await identifyLedger(store, 'ledger-late')).toBe(ids[0]);
      const events = [];
      for await (const event of store.readStream(LEDGER_STREAM)) events.push(event);
      expect(events.map((event) => [event.type, event.data.ledgerId])).toEqual([['LedgerIdentified', ids[0]]]);
    } finally {
      await store.close();
    }
  });

  it('puts the ledger under QUEUE_PREFIX in Redis', () => {
    expect(new QueueNaming('salur', 'e3b0c442').prefix).toBe('salur:e3b0c442');
  });
});

/**
 * Runs of a round on the local Redis, without workers: the test moves jobs itself. A request
 * joins the latest run while it waits; once the run started or finished, it opens the next.
 */
describe('BankJobs.startRun', () => {
  const prefix = `salur-test-runs-${randomUUID()}`;
  const store = new SqliteEventStore({ path: ':memory:' });
  const connection = new RedisConnection({ redisUrl: REDIS_URL, prefix });
  let jobs: BankJobs;
  let naming: QueueNaming;
  const ledger = new BankJobLedger(store);
  const idOfRun = (run: number) => openRoundJobId('BANTU-UMAK-2026', '2026-11', run);
  const startRun = () =>
    jobs.startRun(BANK_QUEUES.openRound, idOfRun, (run) => ({ programmeId: 'BANTU-UMAK-2026', run, origin }));

  beforeAll(async () => {
    connection.start();
    while (!connection.isUp()) await new Promise((resolve) => setTimeout(resolve, 10));
    naming = await QueueNaming.of(store, prefix);
    jobs = new BankJobs(connection, jobsConfigFrom({}), ledger, naming);
  });
  afterAll(async () => {
    await jobs.queue(BANK_QUEUES.openRound).obliterate({ force: true });
    await jobs.onApplicationShutdown();
    await connection.stop();
    await store.close();
  });

  it('answers two requests at once with one run, and joins it while it waits', async () => {
    const [first, second] = await Promise.all([startRun(), startRun()]);
    expect(first).toMatchObject({ run: 1, id: idOfRun(1), state: 'waiting' });
    expect(second).toMatchObject({ run: 1, id: idOfRun(1) });
    expect(await startRun()).toMatchObject({ run: 1 });
    expect(await jobs.queue(BANK_QUEUES.openRound).getJobCounts('waiting')).toEqual({ waiting: 1 });
  });

  it('opens the next run once the last one started, and again once that one finished', async () => {
    await takeNextJob();
    expect(await jobs.queue(BANK_QUEUES.openRound).getJobState(idOfRun(1))).toBe('active');
    expect(await startRun()).toMatchObject({ run: 2, id: idOfRun(2), state: 'waiting' });
    await ledger.finish(idOfRun(2), 'completed', null, origin);
    expect(await startRun()).toMatchObject({ run: 3, id: idOfRun(3) });
  });

  it('joins a run Redis lost and puts it back', async () => {
    await jobs.queue(BANK_QUEUES.openRound).remove(idOfRun(3));
    expect(await jobs.queue(BANK_QUEUES.openRound).getJobState(idOfRun(3))).toBe('unknown');
    expect(await startRun()).toMatchObject({ run: 3, state: 'waiting' });
  });

  it('finds the latest of many runs', async () => {
    for (let run = 3; run <= 12; run++) {
      expect(await startRun()).toMatchObject({ run });
      await ledger.finish(idOfRun(run), 'completed', null, origin);
    }
    expect(await startRun()).toMatchObject({ run: 13 });
  });

  /** What a worker does when it picks a job up: the job becomes active (and stays so). */
  async function takeNextJob(): Promise<void> {
    const workerConnection = connection.redis.duplicate();
    const worker = new Worker(BANK_QUEUES.openRound, null, { connection: workerConnection, prefix: naming.prefix });
    try {
      expect(await worker.getNextJob(randomUUID())).toBeDefined();
    } finally {
      await worker.close(true);
      // BullMQ leaves a connection it was given open.
      workerConnection.disconnect();
    }
  }
});
