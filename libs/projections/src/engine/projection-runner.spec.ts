import type { EventStore, EventSubscription, RecordedEvent } from '@salur/event-store';
import { recordedEvents } from '../testing';
import { migrateReadModels } from './migrations';
import type { Projection } from './projection';
import { openReadModelDatabase, type ReadModelDatabase } from './read-model-database';
import { ProjectionRunner, RunnerSettings } from './projection-runner';

/** A projection with no tables: the runner's behaviour shows in its checkpoint and its status. */
const projection: Projection = { name: 'nothing', readModels: [], migrations: {} };
const SETTINGS: RunnerSettings = {
  batch: { maxEvents: 10, maxDelayMs: 5 },
  retry: { maxConsecutiveFailures: 3, firstDelayMs: 1, maxDelayMs: 4 },
};
const LOG = recordedEvents(
  Array.from({ length: 25 }, (_, index) => ({ type: 'Noted', data: { index } })),
  1,
);

function terminated(): Error {
  return Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
}

/**
 * A store whose subscriptions fail with `failure()` the first `failing` times they are read, then
 * deliver the log after the requested position and wait until closed, like a caught-up one.
 */
function failingStore(failing: number, failure: () => Error): EventStore {
  let failuresLeft = failing;
  const unused = () => {
    throw new Error('not used by the runner');
  };
  return {
    adapter: 'postgres',
    append: unused,
    readStream: unused,
    readAll: unused,
    headPosition: async () => LOG[LOG.length - 1].position,
    ping: async () => undefined,
    close: async () => undefined,
    subscribeToAll(options = {}): EventSubscription {
      let closed: () => void = () => undefined;
      const whenClosed = new Promise<void>((resolve) => (closed = resolve));
      return {
        async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
          if (failuresLeft-- > 0) throw failure();
          yield* LOG.filter((event) => event.position > (options.after ?? 0));
          await whenClosed;
        },
        close: async () => closed(),
      };
    },
  };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('ProjectionRunner failures', () => {
  let db: ReadModelDatabase;
  let runner: ProjectionRunner | undefined;

  beforeEach(async () => {
    db = openReadModelDatabase({ dialect: 'sqlite', sqlitePath: ':memory:', postgresUrl: 'postgres://unused' });
    await migrateReadModels(db, [projection]);
  });

  afterEach(async () => {
    await runner?.stop();
    await db.destroy();
  });

  it('waits out lost connections however many in a row, then catches up, and still shows the last failure', async () => {
    const lostInARow = SETTINGS.retry.maxConsecutiveFailures * 4;
    runner = new ProjectionRunner(db, failingStore(lostInARow, terminated), projection, SETTINGS);
    runner.start();
    await until(() => runner?.snapshot().position === LOG[LOG.length - 1].position, 'the catch-up');

    const snapshot = runner.snapshot();
    expect(snapshot).toMatchObject({ state: 'running', failures: lostInARow, lastError: undefined });
    expect(snapshot.lastFailure?.message).toBe('terminating connection due to administrator command');
    expect(snapshot.eventsApplied).toBe(LOG.length);
  });

  it('stops as failed after too many other failures in a row, and says why', async () => {
    const bug = () => new Error('projection bug');
    runner = new ProjectionRunner(db, failingStore(Number.MAX_SAFE_INTEGER, bug), projection, SETTINGS);
    runner.start();
    await until(() => runner?.snapshot().state === 'failed', 'the failure');

    expect(runner.snapshot()).toMatchObject({
      state: 'failed',
      failures: SETTINGS.retry.maxConsecutiveFailures,
      lastError: 'projection bug',
      position: undefined,
    });
  });
});
