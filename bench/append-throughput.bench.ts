import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EventStore, NewEvent, PostgresEventStore, SqliteEventStore } from '@salur/event-store';
import { createFreshDatabase } from '../test/support/postgres';
import { Benchmark, Measurement, timed } from './harness';

/** Events per case: enough to dominate start-up, small enough for a quick `npm run bench`. */
const EVENTS_PER_RUN = 20_000;

/** A PaymentScheduled-sized event (~300 bytes of JSON), the ledger's commonest write. */
function sampleEvent(n: number): NewEvent {
  return {
    id: randomUUID(),
    type: 'PaymentScheduled',
    data: {
      paymentId: randomUUID(),
      programmeCode: 'BANTU-UMAK',
      period: '2026-11',
      beneficiaryId: randomUUID(),
      amountRupiah: '600000.00',
      sequence: n,
    },
    metadata: { actor: { userId: 'bench', role: 'finance-officer' }, correlationId: randomUUID() },
  };
}

async function appendThroughPort(store: EventStore, eventsPerAppend: number): Promise<Measurement> {
  const appends = EVENTS_PER_RUN / eventsPerAppend;
  const batches = Array.from({ length: appends }, (_, append) =>
    Array.from({ length: eventsPerAppend }, (__, n) => sampleEvent(append * eventsPerAppend + n)),
  );
  return timed(EVENTS_PER_RUN, async () => {
    for (const batch of batches) {
      await store.append(`payment-${randomUUID()}`, batch, { expectedRevision: 'no_stream' });
    }
  });
}

function withTemporarySqlite<T>(work: (path: string) => Promise<T>): Promise<T> {
  const directory = mkdtempSync(join(tmpdir(), 'salur-bench-'));
  return work(join(directory, 'events.db')).finally(() => rmSync(directory, { recursive: true, force: true }));
}

/** The raw operation under the SQLite adapter: same schema, pragmas and transaction size, no port. */
function rawSqliteInserts(eventsPerTransaction: number): Promise<Measurement> {
  return withTemporarySqlite(async (path) => {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, stream_name TEXT NOT NULL, revision INTEGER NOT NULL,
      event_id TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at TEXT NOT NULL);
      CREATE UNIQUE INDEX events_stream_revision ON events (stream_name, revision);`);
    const insert = db.prepare(
      'INSERT INTO events (stream_name, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const events = Array.from({ length: EVENTS_PER_RUN }, (_, n) => sampleEvent(n));
    const writeTransaction = db.transaction((slice: NewEvent[]) => {
      const stream = `payment-${randomUUID()}`;
      const recordedAt = new Date().toISOString();
      slice.forEach((event, revision) =>
        insert.run(
          stream,
          revision,
          event.id,
          event.type,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata),
          recordedAt,
        ),
      );
    });
    try {
      return await timed(EVENTS_PER_RUN, () => {
        for (let start = 0; start < events.length; start += eventsPerTransaction) {
          writeTransaction.immediate(events.slice(start, start + eventsPerTransaction));
        }
      });
    } finally {
      db.close();
    }
  });
}

async function withFreshPostgres<T>(work: (url: string) => Promise<T>): Promise<T> {
  const database = await createFreshDatabase('bench');
  try {
    return await work(database.url);
  } finally {
    await database.drop();
  }
}

/** The raw operation under the PostgreSQL adapter: one multi-row INSERT per transaction. */
function rawPostgresInserts(eventsPerTransaction: number): Promise<Measurement> {
  return withFreshPostgres(async (url) => {
    const setup = await PostgresEventStore.connect({ connectionString: url });
    await setup.close();
    const client = new Client({ connectionString: url });
    await client.connect();
    const events = Array.from({ length: EVENTS_PER_RUN }, (_, n) => sampleEvent(n));
    try {
      return await timed(EVENTS_PER_RUN, async () => {
        for (let start = 0; start < events.length; start += eventsPerTransaction) {
          const slice = events.slice(start, start + eventsPerTransaction);
          await client.query('BEGIN');
          await client.query(
            `INSERT INTO events (stream_name, revision, event_id, type, data, metadata, recorded_at)
             SELECT $1, ordinal - 1, id, type, data, metadata, now()
             FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS t(id, type, data, metadata, ordinal)`,
            [
              `payment-${randomUUID()}`,
              slice.map((event) => event.id),
              slice.map((event) => event.type),
              slice.map((event) => JSON.stringify(event.data)),
              slice.map((event) => JSON.stringify(event.metadata)),
            ],
          );
          await client.query('COMMIT');
        }
      });
    } finally {
      await client.end();
    }
  });
}

const sqliteCase = (eventsPerAppend: number) => ({
  name: `sqlite port, ${eventsPerAppend}-event appends`,
  run: () =>
    withTemporarySqlite(async (path) => {
      const store = new SqliteEventStore({ path });
      try {
        return await appendThroughPort(store, eventsPerAppend);
      } finally {
        await store.close();
      }
    }),
});

const postgresCase = (eventsPerAppend: number) => ({
  name: `postgres port, ${eventsPerAppend}-event appends`,
  run: () =>
    withFreshPostgres(async (url) => {
      const store = await PostgresEventStore.connect({ connectionString: url });
      try {
        return await appendThroughPort(store, eventsPerAppend);
      } finally {
        await store.close();
      }
    }),
});

export const appendThroughputBenchmarks: Benchmark[] = [
  {
    name: 'append-sqlite-100',
    unit: 'events/s',
    baseline: { name: 'raw better-sqlite3 insert, 100 per transaction', run: () => rawSqliteInserts(100) },
    cases: [sqliteCase(100)],
    targets: { 'sqlite port, 100-event appends': 0.5 },
  },
  {
    name: 'append-sqlite-1',
    unit: 'events/s',
    baseline: { name: 'raw better-sqlite3 insert, 1 per transaction', run: () => rawSqliteInserts(1) },
    cases: [sqliteCase(1)],
  },
  {
    name: 'append-postgres-100',
    unit: 'events/s',
    baseline: { name: 'raw multi-row INSERT, 100 per transaction', run: () => rawPostgresInserts(100) },
    cases: [postgresCase(100)],
    targets: { 'postgres port, 100-event appends': 0.5 },
  },
  {
    name: 'append-postgres-1',
    unit: 'events/s',
    baseline: { name: 'raw INSERT, 1 per transaction', run: () => rawPostgresInserts(1) },
    cases: [postgresCase(1)],
  },
];
