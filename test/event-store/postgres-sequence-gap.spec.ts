import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { EventStore, PostgresEventStore, RecordedEvent } from '@salur/event-store';
import { createFreshDatabase, FreshDatabase } from '../support/postgres';
import { event, uniqueStream } from './contract';

/**
 * The classic PostgreSQL hazard: a transaction draws position n from the sequence, a second
 * one draws n+1 and commits first, a reader sees n+1, moves its checkpoint past n, and never
 * sees n when it commits. A trigger holds one insert (it fires after the sequence default is
 * drawn) until the test lets it go, which turns the race into a certainty, so both outcomes below
 * are deterministic on a machine of any speed: every wait is on a condition the server reports.
 */
/** An advisory-lock key no adapter uses: the test holds it to keep a SlowToCommit insert waiting. */
const HOLD_KEY = 7_305_001;
/** Generous: a loaded machine still starts a waiting session within this. */
const WAIT_DEADLINE_MS = 30_000;

describe('postgres: a reader never skips an event that commits later with a lower position', () => {
  let database: FreshDatabase;
  let store: EventStore;
  let raw: Client;

  beforeAll(async () => {
    database = await createFreshDatabase('sequence_gap');
    store = await PostgresEventStore.connect({ connectionString: database.url, pollIntervalMs: 20 });
    raw = new Client({ connectionString: database.url });
    await raw.connect();
    await raw.query(`
      CREATE FUNCTION slow_insert() RETURNS trigger AS $$
      BEGIN PERFORM pg_advisory_lock_shared(${HOLD_KEY}); PERFORM pg_advisory_unlock_shared(${HOLD_KEY}); RETURN NEW; END
      $$ LANGUAGE plpgsql;
      CREATE TRIGGER slow_insert BEFORE INSERT ON events
        FOR EACH ROW WHEN (NEW.type = 'SlowToCommit') EXECUTE FUNCTION slow_insert();
    `);
  });

  afterAll(async () => {
    await raw?.end();
    await store?.close();
    await database?.drop();
  });

  it('through the adapter, the faster append waits and the tailing reader gets both, in order', async () => {
    const start = await store.headPosition();
    const subscription = store.subscribeToAll({ after: start });
    const delivered = collectUntil(subscription, 2);

    await hold();
    const slow = store.append(uniqueStream('slow'), [event('SlowToCommit')]);
    await waitForWaiters(1);
    // The adapter's append lock makes the fast append wait behind the held one.
    const fastAppend = store.append(uniqueStream('fast'), [event('Fast')]);
    await waitForWaiters(2);
    await release();
    const [slowResult, fast] = await Promise.all([slow, fastAppend]);

    const received = await delivered;
    await subscription.close();
    expect(received.map((recorded) => recorded.type)).toEqual(['SlowToCommit', 'Fast']);
    expect(slowResult.position).toBeLessThan(fast.position);
  });

  it('without the append lock (plain inserts), the same reader skips the slow event: the hazard is real here', async () => {
    const start = await store.headPosition();
    const subscription = store.subscribeToAll({ after: start });
    const reader = subscription[Symbol.asyncIterator]();

    await hold();
    const slow = plainInsert(database.url, 'SlowToCommit');
    await waitForWaiters(1);
    await plainInsert(database.url, 'Fast');
    const first = await reader.next();
    await release();
    await slow;
    // Give the subscription many polls to notice the slow event, which it never will.
    const second = await Promise.race([reader.next(), sleep(400).then(() => 'nothing more' as const)]);
    await subscription.close();

    expect(first.value?.type).toBe('Fast');
    expect(second).toBe('nothing more');
    const log = [];
    for await (const recorded of store.readAll({ from: start })) log.push(recorded.type);
    expect(log).toEqual(['SlowToCommit', 'Fast']);
  });

  /** The test holds the key exclusively: a SlowToCommit insert waits in its trigger until release(). */
  async function hold(): Promise<void> {
    await raw.query('SELECT pg_advisory_lock($1)', [HOLD_KEY]);
  }

  async function release(): Promise<void> {
    await raw.query('SELECT pg_advisory_unlock($1)', [HOLD_KEY]);
  }

  /** Until `count` sessions of this database wait on an advisory lock (the held insert, then the adapter's lock). */
  async function waitForWaiters(count: number): Promise<void> {
    const deadline = Date.now() + WAIT_DEADLINE_MS;
    for (;;) {
      const { rows } = await raw.query<{ waiting: string }>(
        `SELECT count(*) AS waiting FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`,
      );
      if (Number(rows[0].waiting) >= count) return;
      if (Date.now() > deadline) throw new Error(`fewer than ${count} sessions waiting after ${WAIT_DEADLINE_MS} ms`);
      await sleep(10);
    }
  }
});

async function plainInsert(url: string, type: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO events (stream_name, revision, event_id, type, data, metadata, recorded_at)
       VALUES ($1, 0, $2, $3, '{}', '{}', now())`,
      [uniqueStream('plain'), randomUUID(), type],
    );
  } finally {
    await client.end();
  }
}

async function collectUntil(events: AsyncIterable<RecordedEvent>, count: number): Promise<RecordedEvent[]> {
  const collected: RecordedEvent[] = [];
  if (count === 0) return collected;
  for await (const recorded of events) {
    collected.push(recorded);
    if (collected.length === count) break;
  }
  return collected;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
