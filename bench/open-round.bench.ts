import Database from 'better-sqlite3';
// The application file itself, not the capability's index: the Nest module and BullMQ would only add to the RSS measured.
import { openRoundChunkFor, RoundOpener } from '@salur/payments';
import { SqliteEventStore } from '@salur/event-store';
import { paymentIdFor } from '@salur/payments/domain';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Benchmark, Measurement, timed } from './harness';
import { BENCH_PROGRAMME_ID, benchContext, seedRoundStore, SeededRoundStore } from './support/round-seed';

/** Beneficiaries of the round (issue 7: a national round of 1,000,000); BENCH_ROUND_SIZE for a quick look. */
const ROUND_SIZE = Number(process.env.BENCH_ROUND_SIZE ?? 1_000_000);
const PERIOD = '2026-11';
/** The baseline's transaction size: the opener's chunk for a round of this size. */
const ROWS_PER_TRANSACTION = openRoundChunkFor(ROUND_SIZE);

let seeded: Promise<SeededRoundStore> | undefined;

/** Seeded once for the benchmark and copied per run, so every run opens the same round on the same log. */
function seed(): Promise<SeededRoundStore> {
  if (!seeded) {
    seeded = seedRoundStore(ROUND_SIZE).then((store) => {
      process.once('exit', () => store.remove());
      return store;
    });
  }
  return seeded;
}

function removeCopy(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

/**
 * The bare operation under the round: a million PaymentScheduled-shaped rows, each a new
 * stream with a hash-random name, into a copy of the same seeded log, with the adapter's
 * schema and pragmas (WAL, synchronous FULL), the opener's transaction size and its order
 * (sorted by stream name within a transaction).
 */
async function bareInserts(): Promise<Measurement> {
  const store = await seed();
  const path = store.copy();
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const insert = db.prepare(
      `INSERT INTO events (stream_name, revision, event_id, type, data, metadata, recorded_at)
       VALUES (?, 0, ?, 'PaymentScheduled', ?, ?, ?)`,
    );
    const metadata = JSON.stringify({ ...benchContext, occurredAt: benchContext.now, schemaVersion: 1 });
    const writeRows = db.transaction((first: number, last: number) => {
      const recordedAt = new Date().toISOString();
      const beneficiaryIds = Array.from({ length: last - first }, () => randomUUID());
      const rows = beneficiaryIds.map((beneficiaryId) => ({
        beneficiaryId,
        paymentId: paymentIdFor(BENCH_PROGRAMME_ID, PERIOD, beneficiaryId),
      }));
      // In stream-name order, as the opener appends them.
      rows.sort((left, right) => (left.paymentId < right.paymentId ? -1 : 1));
      for (const { beneficiaryId, paymentId } of rows) {
        const data = {
          paymentId,
          programmeId: BENCH_PROGRAMME_ID,
          period: PERIOD,
          beneficiaryId,
          amount: '600000.00',
          scheduledBy: benchContext.actor.userId,
          at: benchContext.now,
        };
        insert.run(`payment-${paymentId}`, randomUUID(), JSON.stringify(data), metadata, recordedAt);
      }
    });
    return await timed(store.count, () => {
      for (let first = 0; first < store.count; first += ROWS_PER_TRANSACTION) {
        writeRows.immediate(first, Math.min(store.count, first + ROWS_PER_TRANSACTION));
      }
    });
  } finally {
    db.close();
    removeCopy(path);
  }
}

/** The real open-round path, as the open-round job runs it (RoundOpener on the SQLite adapter), without Redis. */
async function openRound(): Promise<Measurement> {
  const seededStore = await seed();
  const path = seededStore.copy();
  const store = new SqliteEventStore({ path });
  try {
    const opener = new RoundOpener(store);
    let scheduled = 0;
    const measurement = await timed(seededStore.count, async () => {
      const result = await opener.open({ programmeId: BENCH_PROGRAMME_ID, period: PERIOD }, benchContext, async () => {
        // The job's progress report (a Redis round trip per chunk) is left out: no Redis here.
      });
      scheduled = result.scheduled;
    });
    if (scheduled !== seededStore.count) {
      throw new Error(`The round scheduled ${scheduled} payments, not ${seededStore.count}`);
    }
    process.stderr.write(`    ${seededStore.count} payments scheduled in ${measurement.seconds.toFixed(1)} s\n`);
    return measurement;
  } finally {
    await store.close();
    removeCopy(path);
  }
}

export const openRoundBenchmarks: Benchmark[] = [
  {
    name: 'open-round',
    unit: 'payments/s',
    baseline: {
      name: `bare better-sqlite3 insert of ${ROUND_SIZE.toLocaleString('en-US')} rows, ${ROWS_PER_TRANSACTION} per transaction`,
      run: bareInserts,
    },
    cases: [{ name: `RoundOpener on SQLite, ${ROUND_SIZE.toLocaleString('en-US')} beneficiaries`, run: openRound }],
  },
];
