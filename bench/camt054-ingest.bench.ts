import Database from 'better-sqlite3';
import { once } from 'node:events';
import { copyFileSync, createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import {
  bankIntegrationConfigFrom,
  BankResultsIngestion,
  CAMT054_NAMESPACE,
  compactId,
  type ReceivedBankFile,
} from '@salur/bank-integration';
import { SqliteEventStore } from '@salur/event-store';
import { deterministicId } from '@salur/kernel';
import { paymentStreamName } from '@salur/payments/domain';
import { Benchmark, Measurement, timed } from './harness';

/**
 * Issue 7: a camt.054 of a million credited transfers ingested into a ledger holding the million
 * sent payments (BENCH_CAMT_ENTRIES makes it smaller for a quick look). The ledger is written once
 * through raw SQL in the order a round writes it (all scheduled, then batched, then sent) and
 * copied before every run, since a run credits every payment.
 */
const ENTRIES = Number(process.env.BENCH_CAMT_ENTRIES ?? 1_000_000);
/** Transfers per booked entry: the bank books a batch as one debit with a TxDtls per transfer. */
const TRANSFERS_PER_ENTRY = 1_000;
const ROWS_PER_TRANSACTION = 10_000;
const NAMESPACE = '0f6c2a8e-7d51-4b39-a1e4-5c3b9d2f8a10';
const AMOUNT = '600000.00';
const ACCOUNT = '001901000378301';
const at = '2026-11-27T09:00:00.000Z';
const context = {
  actor: { userId: 'bench', role: 'bank-integration' as const },
  now: at,
  correlationId: 'bench',
  causationId: 'bench',
};

const paymentIdOf = (n: number) => deterministicId(NAMESPACE, `payment/${n}`);
const batchIdOf = (n: number) => deterministicId(NAMESPACE, `batch/${Math.floor(n / TRANSFERS_PER_ENTRY)}`);

interface Fixture {
  readonly directory: string;
  readonly ledger: string;
  readonly camt: string;
}

let fixture: Fixture | undefined;

/** Builds the ledger and the file once, on first use; removed when the process exits. */
async function prepared(): Promise<Fixture> {
  if (fixture) return fixture;
  const directory = mkdtempSync(join(tmpdir(), 'salur-bench-camt-'));
  process.once('exit', () => rmSync(directory, { recursive: true, force: true }));
  const ledger = join(directory, 'ledger.db');
  const camt = join(directory, 'camt054.xml');
  process.stderr.write(
    `  camt054-ingest: seeding ${ENTRIES.toLocaleString('en-US')} sent payments and their camt.054…\n`,
  );
  seedLedger(ledger);
  await writeCamt054(camt);
  fixture = { directory, ledger, camt };
  return fixture;
}

/** The million sent payments, three events each, as the deciders write them, without the port's checks. */
function seedLedger(path: string): void {
  new SqliteEventStore({ path }).close().catch(() => undefined);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  // The unique index is rebuilt after the load: one sort instead of three million random inserts.
  db.exec('DROP INDEX IF EXISTS events_stream_revision');
  const insert = db.prepare(
    'INSERT INTO events (stream_name, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const metadata = JSON.stringify({
    actor: { userId: 'bench', role: 'finance-officer' },
    correlationId: 'bench',
    causationId: 'bench',
    occurredAt: at,
    schemaVersion: 1,
  });
  const account = { bankCode: '002', accountNumber: ACCOUNT, accountHolderName: 'SITI AMINAH' };
  const dataOf = (revision: number, n: number): [string, object] => {
    const paymentId = paymentIdOf(n);
    if (revision === 0) {
      const scheduled = { paymentId, programmeId: 'PKH-2026', period: '2026-11', beneficiaryId: `b${n}` };
      return ['PaymentScheduled', { ...scheduled, amount: AMOUNT, scheduledBy: 'worker', at }];
    }
    if (revision === 1) return ['PaymentBatched', { paymentId, batchId: batchIdOf(n), account, attempt: 1, at }];
    return ['PaymentSentToBank', { paymentId, batchId: batchIdOf(n), at }];
  };
  const load = db.transaction((revision: number, from: number, to: number) => {
    for (let n = from; n < to; n++) {
      const [type, data] = dataOf(revision, n);
      const eventId = deterministicId(NAMESPACE, `event/${n}/${revision}`);
      insert.run(paymentStreamName(paymentIdOf(n)), revision, eventId, type, JSON.stringify(data), metadata, at);
    }
  });
  for (let revision = 0; revision < 3; revision++) {
    for (let from = 0; from < ENTRIES; from += ROWS_PER_TRANSACTION) {
      load(revision, from, Math.min(ENTRIES, from + ROWS_PER_TRANSACTION));
    }
  }
  db.exec('CREATE UNIQUE INDEX events_stream_revision ON events (stream_name, revision)');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** A camt.054 as a bank books a round: a debit per batch, a TxDtls per credited transfer; streamed to disk. */
async function writeCamt054(path: string): Promise<void> {
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="${CAMT054_NAMESPACE}"><BkToCstmrDbtCdtNtfctn>` +
      '<GrpHdr><MsgId>NTF-BENCH</MsgId><CreDtTm>2026-11-27T09:00:00</CreDtTm></GrpHdr>' +
      '<Ntfctn><Id>NTF-BENCH</Id><Acct><Id><Othr><Id>0012301000000099</Id></Othr></Id></Acct>\n',
  );
  for (let first = 0; first < ENTRIES; first += TRANSFERS_PER_ENTRY) {
    const last = Math.min(ENTRIES, first + TRANSFERS_PER_ENTRY);
    const batch = compactId(batchIdOf(first));
    let entry =
      `<Ntry><Amt Ccy="IDR">${(600_000 * (last - first)).toFixed(2)}</Amt><CdtDbtInd>DBIT</CdtDbtInd>` +
      '<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-27</Dt></BookgDt><ValDt><Dt>2026-11-27</Dt></ValDt>' +
      `<AcctSvcrRef>B${batch.slice(0, 20)}</AcctSvcrRef><NtryDtls>\n`;
    for (let n = first; n < last; n++) {
      const endToEndId = compactId(paymentIdOf(n));
      entry +=
        `<TxDtls><Refs><AcctSvcrRef>CR${endToEndId.slice(0, 30)}</AcctSvcrRef><PmtInfId>${batch}</PmtInfId>` +
        `<EndToEndId>${endToEndId}</EndToEndId></Refs><Amt Ccy="IDR">${AMOUNT}</Amt><CdtDbtInd>DBIT</CdtDbtInd>` +
        `<RltdPties><CdtrAcct><Id><Othr><Id>${ACCOUNT}</Id></Othr></Id></CdtrAcct></RltdPties></TxDtls>\n`;
    }
    await write(`${entry}</NtryDtls></Ntry>\n`);
  }
  await write('</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>\n');
  out.end();
  await once(out, 'finish');
}

/** The floor: saxes alone over the same file, counting the transfers. */
async function bareParse(): Promise<Measurement> {
  const { camt } = await prepared();
  let transfers = 0;
  const measurement = await timed(ENTRIES, async () => {
    const parser = new SaxesParser({ xmlns: false });
    parser.on('opentag', (tag) => {
      if (tag.name === 'TxDtls') transfers++;
    });
    for await (const chunk of createReadStream(camt, { encoding: 'utf8', highWaterMark: 64 * 1_024 })) {
      parser.write(chunk as string);
    }
    parser.close();
  });
  if (transfers !== ENTRIES) throw new Error(`Parsed ${transfers} transfers, expected ${ENTRIES}`);
  return measurement;
}

/** The whole ingestion (the validating read, reconciliation, the credits, the file's events) into a copy of the ledger. */
async function ingest(): Promise<Measurement> {
  const { directory, ledger, camt } = await prepared();
  const copy = join(directory, 'run.db');
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(copy + suffix)) rmSync(copy + suffix);
  copyFileSync(ledger, copy);
  const store = new SqliteEventStore({ path: copy });
  const ingestion = new BankResultsIngestion(
    store,
    bankIntegrationConfigFrom({
      BANK_FILES_DIR: join(directory, 'files'),
      // A million transfers is ~350 MB and 15 million elements: far above the defaults for one file.
      BANK_RESULT_MAX_BYTES: String(1_073_741_824),
      BANK_RESULT_MAX_ELEMENTS: String(100_000_000),
    }),
  );
  const file: ReceivedBankFile = { sha256: 'b'.repeat(64), format: 'camt.054.001.08', fileName: 'bench', path: camt };
  try {
    let credited = 0;
    const measurement = await timed(ENTRIES, async () => {
      credited = (await ingestion.ingest(file, context, async () => undefined)).credited;
    });
    if (credited !== ENTRIES) throw new Error(`Credited ${credited} payments, expected ${ENTRIES}`);
    return measurement;
  } finally {
    await store.close();
  }
}

export const camt054IngestBenchmarks: Benchmark[] = [
  {
    name: 'camt054-ingest',
    unit: 'entries/s',
    baseline: { name: 'saxes parse of the file', run: bareParse },
    cases: [{ name: 'ingest into SQLite ledger', run: ingest }],
  },
];
