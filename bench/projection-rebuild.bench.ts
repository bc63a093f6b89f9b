import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EventStore, PostgresEventStore, SqliteEventStore } from '@salur/event-store';
import {
  migrateReadModels,
  openReadModelDatabase,
  type Projection,
  type ReadModelDatabase,
  rebuildProjection,
} from '@salur/projections';
import { createFreshDatabase, FreshDatabase } from '../test/support/postgres';
import { Benchmark, Case, Measurement, RUNS_PER_CASE, timed } from './harness';
import { balancesProjection } from '@salur/payments';
import { LEDGER_PROJECTIONS } from '@salur/ledger';
import { type ReadModelConfig } from '@salur/database';

/**
 * The log every run reads: a million ledger events, written once per benchmark through the raw
 * SQL (BENCH_REBUILD_EVENTS makes it smaller for a quick look).
 */
const EVENTS = Number(process.env.BENCH_REBUILD_EVENTS ?? 1_000_000);
const PROGRAMMES = 2;
const BENEFICIARIES_PER_PROGRAMME = 20_000;
const PERIODS = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];
const BATCH_SIZE = 1_000;
const ROWS_PER_INSERT = 5_000;

interface LogRow {
  readonly stream: string;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

/**
 * A ledger year as the deciders write it, as fast as it can be produced: programmes, enrolments,
 * and per period a round (payments scheduled, batched in thousands, approved with the budget
 * reserved, sent, credited; every tenth rejected, reissued and credited in a second batch).
 * Cut at EVENTS.
 */
function* ledgerLog(): Generator<LogRow> {
  const revisions = new Map<string, number>();
  let count = 0;
  const metadata = JSON.stringify({
    actor: { userId: 'bench', role: 'finance-officer' },
    correlationId: 'bench',
    causationId: 'bench',
    occurredAt: '2026-01-01T00:00:00.000Z',
    schemaVersion: 1,
  });
  const row = (stream: string, type: string, data: object): LogRow => {
    const revision = revisions.get(stream) ?? 0;
    revisions.set(stream, revision + 1);
    count++;
    const eventId = `00000000-0000-4000-8000-${count.toString(16).padStart(12, '0')}`;
    return { stream, revision, eventId, type, data: JSON.stringify(data), metadata };
  };
  const at = '2026-01-01T00:00:00.000Z';
  const account = (n: number, attempt: number) => ({
    bankCode: '002',
    accountNumber: `0019${String(n).padStart(10, '0')}${attempt}`,
    accountHolderName: `Penerima ${n}`,
  });
  const done = () => count >= EVENTS;
  for (let p = 1; p <= PROGRAMMES; p++) {
    const programmeId = `PKH${p}-2026`;
    yield row(`programme-${programmeId}`, 'ProgrammeCreated', {
      programmeId,
      code: `PKH${p}`,
      name: `Programme ${p}`,
      fiscalYear: 2026,
      currency: 'IDR',
      budgetCeiling: '999999999999999.99',
      benefitAmount: '600000.00',
      createdBy: 'po',
      at,
    });
  }
  for (let p = 1; p <= PROGRAMMES; p++) {
    for (let b = 1; b <= BENEFICIARIES_PER_PROGRAMME && !done(); b++) {
      const n = p * 1_000_000 + b;
      yield row(`beneficiary-b${n}`, 'BeneficiaryEnrolled', {
        beneficiaryId: `b${n}`,
        programmeId: `PKH${p}-2026`,
        nik: `1606${String(n).padStart(12, '0')}`,
        kk: `1606${String(n + 7).padStart(12, '0')}`,
        name: `Penerima ${n}`,
        regionCode: `16.0${(n % 9) + 1}.01.2001`,
        bankAccount: account(n, 1),
        enrolledBy: 'eo',
        at,
      });
    }
  }
  for (const period of PERIODS) {
    for (let p = 1; p <= PROGRAMMES && !done(); p++) {
      const programmeId = `PKH${p}-2026`;
      for (let start = 1; start <= BENEFICIARIES_PER_PROGRAMME && !done(); start += BATCH_SIZE) {
        const batchId = `batch-${programmeId}-${period}-${start}`;
        const members = Array.from({ length: BATCH_SIZE }, (_, index) => p * 1_000_000 + start + index);
        const paymentOf = (n: number) => `pay-${period}-b${n}`;
        for (const n of members) {
          yield row(`payment-${paymentOf(n)}`, 'PaymentScheduled', {
            paymentId: paymentOf(n),
            programmeId,
            period,
            beneficiaryId: `b${n}`,
            amount: '600000.00',
            scheduledBy: 'worker',
            at,
          });
        }
        for (const n of members) {
          yield row(`payment-${paymentOf(n)}`, 'PaymentBatched', {
            paymentId: paymentOf(n),
            batchId,
            account: account(n, 1),
            attempt: 1,
            at,
          });
        }
        const controlSum = (600_000 * BATCH_SIZE).toFixed(2);
        const batch = { batchId, programmeId, period, count: BATCH_SIZE, controlSum, contentHash: `h-${batchId}`, at };
        yield row(`batch-${batchId}`, 'BatchCreated', {
          ...batch,
          makerId: 'fo-1',
          payments: [],
          requiredApprovals: 1,
          expiresAt: '2026-12-31T00:00:00.000Z',
        });
        yield row(`batch-${batchId}`, 'BatchApprovalRecorded', {
          batchId,
          approverId: 'fo-2',
          contentHash: batch.contentHash,
          approvals: 1,
          requiredApprovals: 1,
          at,
        });
        yield row(`programme-${programmeId}`, 'BudgetReserved', {
          programmeId,
          reservationId: `${batchId}:${batch.contentHash}`,
          batchId,
          amount: controlSum,
          remainingBudget: '0.00',
          reservedBy: 'fo-2',
          at,
        });
        yield row(`batch-${batchId}`, 'BatchApproved', { ...batch, approverIds: ['fo-2'] });
        for (const n of members)
          yield row(`payment-${paymentOf(n)}`, 'PaymentSentToBank', { paymentId: paymentOf(n), batchId, at });
        for (const n of members) {
          const paymentId = paymentOf(n);
          if (n % 10 !== 3) {
            yield row(`payment-${paymentId}`, 'PaymentCredited', credit(paymentId, batchId));
            continue;
          }
          yield row(`payment-${paymentId}`, 'PaymentRejected', { paymentId, batchId, reasonCode: 'AC01', at });
          yield row(`payment-${paymentId}`, 'PaymentReissued', {
            paymentId,
            previousAccount: account(n, 1),
            account: account(n, 2),
            attempt: 2,
            reissuedBy: 'fo-1',
            at,
          });
          const second = `${batchId}-reissue`;
          yield row(`payment-${paymentId}`, 'PaymentBatched', {
            paymentId,
            batchId: second,
            account: account(n, 2),
            attempt: 2,
            at,
          });
          yield row(`payment-${paymentId}`, 'PaymentSentToBank', { paymentId, batchId: second, at });
          yield row(`payment-${paymentId}`, 'PaymentCredited', credit(paymentId, second));
        }
      }
    }
  }
  function credit(paymentId: string, batchId: string) {
    return {
      paymentId,
      batchId,
      approvedAmount: '600000.00',
      creditedAmount: '600000.00',
      deductedAmount: '0.00',
      bankReference: `ref-${paymentId}`,
      valueDate: '2026-01-20',
      at,
    };
  }
}

function* chunks<T>(rows: Iterable<T>, size: number, limit: number): Generator<T[]> {
  let chunk: T[] = [];
  let taken = 0;
  for (const row of rows) {
    if (taken++ >= limit) break;
    chunk.push(row);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** The events table as the SQLite adapter creates it, filled by plain inserts. */
function writeSqliteLog(path: string): void {
  new SqliteEventStore({ path }).close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const insert = db.prepare(
    'INSERT INTO events (stream_name, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const recordedAt = new Date().toISOString();
  const write = db.transaction((rows: LogRow[]) => {
    for (const row of rows)
      insert.run(row.stream, row.revision, row.eventId, row.type, row.data, row.metadata, recordedAt);
  });
  for (const chunk of chunks(ledgerLog(), ROWS_PER_INSERT, EVENTS)) write(chunk);
  db.close();
}

/** The events table as the PostgreSQL adapter creates it, filled by multi-row inserts. */
async function writePostgresLog(url: string): Promise<void> {
  await (await PostgresEventStore.connect({ connectionString: url })).close();
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const chunk of chunks(ledgerLog(), ROWS_PER_INSERT, EVENTS)) {
      await client.query(
        `INSERT INTO events (stream_name, revision, event_id, type, data, metadata, recorded_at)
         SELECT * , now() FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::text[], $6::text[])`,
        [
          chunk.map((row) => row.stream),
          chunk.map((row) => row.revision),
          chunk.map((row) => row.eventId),
          chunk.map((row) => row.type),
          chunk.map((row) => row.data),
          chunk.map((row) => row.metadata),
        ],
      );
    }
  } finally {
    await client.end();
  }
}

interface Fixture {
  readonly store: EventStore;
  readonly db: ReadModelDatabase;
  dispose(): Promise<void>;
}

/**
 * One log and one read-model database per dialect, made at the first run and dropped after the
 * last (the harness runs each case RUNS_PER_CASE times, the baseline first).
 */
function sharedFixture(
  make: () => Promise<Fixture>,
  runs: number,
): (work: (fixture: Fixture) => Promise<Measurement>) => Promise<Measurement> {
  let fixture: Promise<Fixture> | undefined;
  let done = 0;
  return async (work) => {
    fixture ??= make();
    const ready = await fixture;
    try {
      return await work(ready);
    } finally {
      if (++done === runs) await ready.dispose();
    }
  };
}

async function withReadModels(
  store: EventStore,
  config: ReadModelConfig,
  dispose: () => Promise<void>,
): Promise<Fixture> {
  const db = openReadModelDatabase(config);
  await migrateReadModels(db, LEDGER_PROJECTIONS);
  return {
    store,
    db,
    async dispose() {
      await db.destroy();
      await store.close();
      await dispose();
    },
  };
}

async function sqliteFixture(): Promise<Fixture> {
  const directory = mkdtempSync(join(tmpdir(), 'salur-bench-rebuild-'));
  writeSqliteLog(join(directory, 'events.db'));
  const store = new SqliteEventStore({ path: join(directory, 'events.db') });
  const config: ReadModelConfig = {
    dialect: 'sqlite',
    sqlitePath: join(directory, 'read.db'),
    postgresUrl: 'postgres://unused',
  };
  return withReadModels(store, config, async () => rmSync(directory, { recursive: true, force: true }));
}

async function postgresFixture(): Promise<Fixture> {
  const database: FreshDatabase = await createFreshDatabase('bench_rebuild');
  await writePostgresLog(database.url);
  const store = await PostgresEventStore.connect({ connectionString: database.url });
  const config: ReadModelConfig = { dialect: 'postgres', sqlitePath: ':memory:', postgresUrl: database.url };
  return withReadModels(store, config, () => database.drop());
}

/**
 * The baseline: every event read back through the event-store port (the same pages, the same JSON
 * parsing of data and metadata the rebuild gets), and nothing done with it.
 */
async function readLoop(store: EventStore): Promise<Measurement> {
  let events = 0;
  const measurement = await timed(0, async () => {
    for await (const event of store.readAll()) if (event.position > 0) events++;
  });
  return { units: events, seconds: measurement.seconds };
}

async function rebuild(fixture: Fixture, projection: Projection): Promise<Measurement> {
  const result = await rebuildProjection(fixture.db, fixture.store, projection, { force: true });
  return { units: result.eventsApplied, seconds: result.elapsedMs / 1_000 };
}

/**
 * The projections measured: the balances by default (a lookup table and decimal sums), which keeps
 * `npm run bench` within a few minutes; BENCH_REBUILD_PROJECTIONS=balances,audit-trail (any of
 * LEDGER_PROJECTIONS) adds others, e.g. the heaviest, the audit trail (a row and eight index
 * entries per event).
 */
const MEASURED: readonly Projection[] = (process.env.BENCH_REBUILD_PROJECTIONS ?? balancesProjection.name)
  .split(',')
  .map((name) => {
    const projection = LEDGER_PROJECTIONS.find((candidate) => candidate.name === name.trim());
    if (projection === undefined) throw new Error(`BENCH_REBUILD_PROJECTIONS: no projection '${name}'`);
    return projection;
  });

/** Issue 7: a rebuild at half the rate of the bare read loop at least. */
const TARGET_RATIO = 0.5;

function rebuildBenchmark(name: string, make: () => Promise<Fixture>): Benchmark {
  const withFixture = sharedFixture(make, RUNS_PER_CASE * (1 + MEASURED.length));
  const cases: Case[] = MEASURED.map((projection) => ({
    name: `rebuild ${projection.name}`,
    run: () => withFixture((fixture) => rebuild(fixture, projection)),
  }));
  return {
    name,
    unit: 'events/s',
    baseline: {
      name: 'bare read loop through the event store',
      run: () => withFixture((fixture) => readLoop(fixture.store)),
    },
    cases,
    targets: Object.fromEntries(cases.map((kase) => [kase.name, TARGET_RATIO])),
  };
}

export const projectionRebuildBenchmarks: Benchmark[] = [
  rebuildBenchmark('rebuild-sqlite', sqliteFixture),
  rebuildBenchmark('rebuild-postgres', postgresFixture),
];
