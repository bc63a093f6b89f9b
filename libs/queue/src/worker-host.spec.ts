import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import IORedis from 'ioredis';
import { JobProcessor, WorkerHost } from './worker-host';

const echo: JobProcessor<{ n: number }, number> = {
  queueName: 'worker-host-test',
  concurrency: 1,
  process: async (job) => job.data.n * 2,
};

/** How long a condition may take on a busy machine, and how often it is looked at. */
const WAIT_MS = 60_000;
const POLL_MS = 50;

describe('WorkerHost', () => {
  it('runs a processor on Redis and stops cleanly', async () => {
    const prefix = `salur-test-${randomUUID()}`;
    const host = new WorkerHost({ redisUrl: 'redis://127.0.0.1:6379', prefix }, [echo as JobProcessor]);
    const connection = new IORedis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const queue = new Queue(echo.queueName, { connection, prefix });
    try {
      host.start();
      const job = await queue.add('double', { n: 21 }, { jobId: 'double-21' });
      // BullMQ leaves connections it was given open: this test closes what it opens.
      const eventsConnection = connection.duplicate();
      const events = new QueueEvents(echo.queueName, { connection: eventsConnection, prefix });
      try {
        await expect(job.waitUntilFinished(events, WAIT_MS)).resolves.toBe(42);
      } finally {
        await events.close();
        eventsConnection.disconnect();
      }
    } finally {
      await host.stop();
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    }
  });

  it('keeps a scheduled processor running on its own, and removes its scheduler when told 0', async () => {
    const prefix = `salur-test-${randomUUID()}`;
    let runs = 0;
    const ticking: JobProcessor = {
      queueName: 'worker-host-scheduled',
      concurrency: 1,
      schedule: { everyMs: 200 },
      process: async () => ++runs,
    };
    const connection = new IORedis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const queue = new Queue(ticking.queueName, { connection, prefix });
    const host = new WorkerHost({ redisUrl: 'redis://127.0.0.1:6379', prefix }, [ticking]);
    try {
      host.start();
      // Conditions, bounded by a deadline that a loaded machine still meets.
      const until = Date.now() + WAIT_MS;
      while (runs < 2) {
        if (Date.now() > until) throw new Error(`the scheduler did not run the processor twice within ${WAIT_MS} ms`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      expect(await queue.getJobScheduler(ticking.queueName)).toMatchObject({ every: 200 });
      await host.stop();
      const off = new WorkerHost({ redisUrl: 'redis://127.0.0.1:6379', prefix }, [
        { ...ticking, schedule: { everyMs: 0 } },
      ]);
      off.start();
      const removedBy = Date.now() + WAIT_MS;
      while ((await queue.getJobScheduler(ticking.queueName)) !== undefined) {
        if (Date.now() > removedBy) throw new Error(`the scheduler was not removed within ${WAIT_MS} ms`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      await off.stop();
    } finally {
      await host.stop();
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    }
  });

  it('stops without Redis instead of waiting for it', async () => {
    // Port 1 on loopback refuses connections.
    const host = new WorkerHost({ redisUrl: 'redis://127.0.0.1:1', prefix: 'salur-test' }, [echo as JobProcessor]);
    host.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    let timer: NodeJS.Timeout | undefined;
    const stopped = host.stop().then(() => 'stopped');
    const waited = new Promise((resolve) => (timer = setTimeout(() => resolve('still waiting'), 8_000)));
    await expect(Promise.race([stopped, waited])).resolves.toBe('stopped');
    clearTimeout(timer);
  });
});
