import Database from 'better-sqlite3';
import { handleCommand, metadataOf, type LedgerContext } from '@salur/application';
import { beneficiaryIdFor } from '@salur/application';
import { SqliteEventStore } from '@salur/event-store';
import { programmeDecider, programmeStreamName } from '@salur/programmes/domain';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BENCH_PROGRAMME_ID = 'BANTU-UMAK-2026';
const BENCH_KEY = 'bench-beneficiary-id-key-of-32-characters!';
/** Rows per seeding transaction: seeding is set-up, not what is measured. */
const SEED_ROWS_PER_TRANSACTION = 20_000;
const BANK_CODES = ['002', '008', '009', '014'];

export const benchContext: LedgerContext = {
  actor: { userId: 'po-bench', role: 'programme-officer' },
  now: '2026-11-26T03:00:00.000Z',
  correlationId: '6f1d2c3b-4a59-4e8d-9c7b-1a2b3c4d5e6f',
  causationId: 'open-round.bench',
};

/** A SQLite event store file holding one programme and `count` enrolled beneficiaries, to copy per run. */
export interface SeededRoundStore {
  readonly templatePath: string;
  readonly count: number;
  /** A fresh copy of the seeded file, for one run. */
  copy(): string;
  remove(): void;
}

/**
 * Seeds the programme through the real command path, then the enrolments as raw rows of the
 * adapter's schema (the real event shape, revision 0 of each beneficiary stream): a million
 * enrolments through the bulk endpoint would take far longer than the benchmark itself. The
 * rows are generated one transaction at a time, so the seed leaves nothing in the heap.
 */
export async function seedRoundStore(count: number): Promise<SeededRoundStore> {
  const directory = mkdtempSync(join(tmpdir(), 'salur-bench-round-'));
  const templatePath = join(directory, 'template.db');
  const store = new SqliteEventStore({ path: templatePath });
  try {
    await handleCommand(
      store,
      programmeStreamName(BENCH_PROGRAMME_ID),
      programmeDecider,
      {
        type: 'CreateProgramme',
        data: {
          programmeId: BENCH_PROGRAMME_ID,
          code: 'BANTU-UMAK',
          name: 'Bantuan Usaha Mikro Anak Muda',
          fiscalYear: 2026,
          budgetCeiling: '1000000000000.00',
          benefitAmount: '600000.00',
          currency: 'IDR',
        },
        context: benchContext,
      },
      { metadata: metadataOf(benchContext) },
    );
  } finally {
    await store.close();
  }
  insertEnrolments(templatePath, count);
  let copies = 0;
  return {
    templatePath,
    count,
    copy: () => {
      const path = join(directory, `run-${++copies}.db`);
      copyFileSync(templatePath, path);
      return path;
    },
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

function insertEnrolments(path: string, count: number): void {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    const insert = db.prepare(
      `INSERT INTO events (stream_name, revision, event_id, type, data, metadata, recorded_at)
       VALUES (?, 0, ?, 'BeneficiaryEnrolled', ?, ?, ?)`,
    );
    const metadata = JSON.stringify({
      ...metadataOf(benchContext),
      actor: { userId: 'eo-bench', role: 'enrolment-officer' },
    });
    const writeRows = db.transaction((first: number, last: number) => {
      for (let n = first; n < last; n++) {
        const data = enrolment(n);
        insert.run(`beneficiary-${data.beneficiaryId}`, randomUUID(), JSON.stringify(data), metadata, benchContext.now);
      }
    });
    for (let first = 0; first < count; first += SEED_ROWS_PER_TRANSACTION) {
      writeRows(first, Math.min(count, first + SEED_ROWS_PER_TRANSACTION));
    }
    // Everything into the main file, so a copy of that one file is the whole store.
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

/** A BeneficiaryEnrolled event's data for synthetic beneficiary n (NIKs of Musi Banyuasin, 16.06). */
function enrolment(n: number) {
  const nik = `160601${String(10_000_000_000 + n).slice(1)}`;
  const name = `PENERIMA MANFAAT ${n}`;
  return {
    beneficiaryId: beneficiaryIdFor(BENCH_KEY, BENCH_PROGRAMME_ID, nik),
    programmeId: BENCH_PROGRAMME_ID,
    at: benchContext.now,
    nik,
    kk: `160601${String(20_000_000_000 + n).slice(1)}`,
    name,
    regionCode: `16.06.01.${2001 + (n % 20)}`,
    bankAccount: {
      bankCode: BANK_CODES[n % BANK_CODES.length],
      accountNumber: `00${String(190_100_000_000 + n).padStart(13, '0')}`,
      accountHolderName: name,
    },
    enrolledBy: 'eo-bench',
  };
}
