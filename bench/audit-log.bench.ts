import Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuditLogWriter,
  CheckpointService,
  generateNoteKey,
  hashLeaf,
  leafBytesOf,
  MerkleAppender,
  MerkleLogStore,
  migrateAuditLog,
  openAuditLogDatabase,
  parseSignerKey,
  ProofService,
} from '@salur/audit-log';
import type { RecordedEvent } from '@salur/event-store';
import { createFreshDatabase } from '../test/support/postgres';
import { Benchmark, Measurement, timed } from './harness';

/** Leaves per append run: enough to dominate start-up, small enough for a quick `npm run bench`. */
const LEAVES_PER_RUN = 20_000;
/** Events per transaction, as the log's follower batches them. */
const EVENTS_PER_TRANSACTION = 500;
/** The size at which proof generation is measured. */
const PROOF_TREE_SIZE = 1_000_000;
const PROOFS_PER_RUN = 500;

/** A PaymentCredited-sized event (~450 bytes of canonical JSON), as the store returns it. */
function sampleEvent(n: number): RecordedEvent {
  return {
    id: randomUUID(),
    type: 'PaymentCredited',
    streamName: `payment-${randomUUID()}`,
    revision: 4,
    position: n + 1,
    recordedAt: '2026-11-05T08:00:00.000Z',
    data: {
      paymentId: randomUUID(),
      batchId: randomUUID(),
      approvedAmount: '600000.00',
      creditedAmount: '600000.00',
      deductedAmount: '0.00',
      bankReference: `REF${n}`,
      valueDate: '2026-11-05',
      at: '2026-11-05T08:00:00.000Z',
    },
    metadata: { actor: { userId: 'bank-1', role: 'bank-integration' }, correlationId: randomUUID(), schemaVersion: 1 },
  };
}

let samples: { events: RecordedEvent[]; leafBytes: Buffer[] } | undefined;

/** Built on first use, so that other benchmarks do not pay for them. */
function sampleLeaves(): { events: RecordedEvent[]; leafBytes: Buffer[] } {
  if (!samples) {
    const events = Array.from({ length: LEAVES_PER_RUN }, (_, n) => sampleEvent(n));
    samples = { events, leafBytes: events.map(leafBytesOf) };
  }
  return samples;
}

function bareSha256(): Promise<Measurement> {
  const { leafBytes } = sampleLeaves();
  return timed(LEAVES_PER_RUN, () => {
    for (const bytes of leafBytes) createHash('sha256').update(bytes).digest();
  });
}

function merkleInMemory(canonicalize: boolean): Promise<Measurement> {
  const { events, leafBytes } = sampleLeaves();
  return timed(LEAVES_PER_RUN, () => {
    const appender = MerkleAppender.empty();
    for (let i = 0; i < LEAVES_PER_RUN; i++)
      appender.append(hashLeaf(canonicalize ? leafBytesOf(events[i]) : leafBytes[i]));
    appender.root();
  });
}

async function writerOn(dialect: 'sqlite' | 'postgres'): Promise<Measurement> {
  const { events } = sampleLeaves();
  const directory = mkdtempSync(join(tmpdir(), 'salur-bench-audit-'));
  const database = dialect === 'postgres' ? await createFreshDatabase('bench_audit') : undefined;
  const db = openAuditLogDatabase({
    dialect,
    sqlitePath: join(directory, 'read.db'),
    postgresUrl: database?.url ?? '',
  });
  try {
    await migrateAuditLog(db, dialect);
    const writer = new AuditLogWriter(new MerkleLogStore(db));
    await writer.state();
    return await timed(LEAVES_PER_RUN, async () => {
      for (let i = 0; i < events.length; i += EVENTS_PER_TRANSACTION) {
        await writer.appendEvents(events.slice(i, i + EVENTS_PER_TRANSACTION));
      }
    });
  } finally {
    await db.destroy();
    await database?.drop();
    rmSync(directory, { recursive: true, force: true });
  }
}

interface LargeLog {
  readonly log: MerkleLogStore;
  readonly proofs: ProofService;
  readonly raw: Database.Database;
  readonly paymentId: string;
}

let largeLog: Promise<LargeLog> | undefined;

/**
 * A log of 1,000,000 leaves in SQLite, built once per run: 999,994 synthetic leaves written
 * straight into the tables (the writer's own speed is measured above), then a payment's real
 * history of 6 events through the writer, and a checkpoint at exactly 1,000,000.
 */
function buildLargeLog(): Promise<LargeLog> {
  largeLog ??= (async () => {
    const directory = mkdtempSync(join(tmpdir(), 'salur-bench-audit-1m-'));
    process.on('exit', () => rmSync(directory, { recursive: true, force: true }));
    const config = { dialect: 'sqlite' as const, sqlitePath: join(directory, 'read.db'), postgresUrl: '' };
    const db = openAuditLogDatabase(config);
    await migrateAuditLog(db, 'sqlite');
    const paymentId = randomUUID();
    const history = paymentHistory(paymentId);
    const filler = PROOF_TREE_SIZE - history.length;
    const raw = new Database(config.sqlitePath);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = OFF');
    const insertLeaf = raw.prepare(
      'INSERT INTO audit_log_leaves (leaf_index, position, event_id, stream, revision, event_type, leaf_bytes, leaf_hash) VALUES (?, ?, ?, ?, 0, ?, ?, ?)',
    );
    const insertNode = raw.prepare('INSERT INTO audit_log_nodes (level, node_index, hash) VALUES (?, ?, ?)');
    const appender = MerkleAppender.empty();
    raw.transaction(() => {
      for (let i = 0; i < filler; i++) {
        const bytes = Buffer.from(`{"id":"${i}","type":"Filler"}`);
        const hash = hashLeaf(bytes);
        insertLeaf.run(i, i + 1, `filler-${i}`, `filler-${i}`, 'Filler', bytes, hash);
        for (const node of appender.append(hash)) insertNode.run(node.level, node.index, node.hash);
      }
      raw.prepare("UPDATE audit_log_state SET tree_size = ?, position = ? WHERE id = 'log'").run(filler, filler);
    })();
    const log = new MerkleLogStore(db);
    await new AuditLogWriter(log).appendEvents(history.map((event, i) => ({ ...event, position: filler + i + 1 })));
    const checkpoints = new CheckpointService(log, {
      origin: 'salur.example/ledger',
      key: parseSignerKey(generateNoteKey('salur.example/ledger').signerKey),
      witnesses: [],
    });
    if ((await checkpoints.signLatest()).treeSize !== PROOF_TREE_SIZE)
      throw new Error('the large log has the wrong size');
    return { log, proofs: new ProofService(log, checkpoints), raw, paymentId };
  })();
  return largeLog;
}

/** A credited payment's six events (two streams), shaped as the ledger writes them. */
function paymentHistory(paymentId: string): RecordedEvent[] {
  const batchId = randomUUID();
  const base = { recordedAt: '2026-11-05T08:00:00.000Z', metadata: { schemaVersion: 1 }, position: 0 };
  const payment = (revision: number, type: string, data: Record<string, unknown>) =>
    ({
      ...base,
      id: randomUUID(),
      streamName: `payment-${paymentId}`,
      revision,
      type,
      data: { paymentId, ...data },
    }) as RecordedEvent;
  const batch = (revision: number, type: string, data: Record<string, unknown>) =>
    ({
      ...base,
      id: randomUUID(),
      streamName: `batch-${batchId}`,
      revision,
      type,
      data: { batchId, ...data },
    }) as RecordedEvent;
  return [
    payment(0, 'PaymentScheduled', { amount: '600000.00', beneficiaryId: randomUUID() }),
    batch(0, 'BatchCreated', { payments: [{ paymentId, amount: '600000.00' }], count: 1, controlSum: '600000.00' }),
    payment(1, 'PaymentBatched', { batchId, attempt: 1 }),
    batch(1, 'BatchFileGenerated', {
      format: 'pain001',
      sha256: 'ab'.repeat(32),
      count: 1,
      controlSum: '600000.00',
      chargeBearer: 'DEBT',
    }),
    payment(2, 'PaymentSentToBank', { batchId }),
    payment(3, 'PaymentCredited', {
      batchId,
      approvedAmount: '600000.00',
      creditedAmount: '600000.00',
      deductedAmount: '0.00',
    }),
  ];
}

function randomLeaf(): number {
  return Math.floor(Math.random() * PROOF_TREE_SIZE);
}

const proofCase = (name: string, prove: (large: LargeLog) => Promise<unknown>) => ({
  name,
  run: async () => {
    const large = await buildLargeLog();
    return timed(PROOFS_PER_RUN, async () => {
      for (let i = 0; i < PROOFS_PER_RUN; i++) await prove(large);
    });
  },
});

export const auditLogBenchmarks: Benchmark[] = [
  {
    name: 'audit-log-append',
    unit: 'leaves/s',
    baseline: { name: 'bare crypto.createHash("sha256") per leaf', run: bareSha256 },
    cases: [
      { name: 'Merkle append in memory (leaf + node hashes)', run: () => merkleInMemory(false) },
      { name: 'RFC 8785 + Merkle append in memory', run: () => merkleInMemory(true) },
      { name: 'audit log writer, SQLite, 500 per transaction', run: () => writerOn('sqlite') },
      { name: 'audit log writer, PostgreSQL, 500 per transaction', run: () => writerOn('postgres') },
    ],
  },
  {
    name: 'audit-log-proof-1m',
    unit: 'proofs/s',
    baseline: proofCase('one leaf read by primary key (SQLite, 1M leaves)', async ({ log }) =>
      log.leavesFrom(randomLeaf(), 1),
    ),
    cases: [
      proofCase('inclusion proof of a random leaf at 1M', ({ log }) =>
        log.inclusionProofs([randomLeaf()], PROOF_TREE_SIZE),
      ),
      proofCase('consistency proof from a random size to 1M', ({ log }) =>
        log.consistencyProof(1 + randomLeaf(), PROOF_TREE_SIZE),
      ),
      proofCase('payment proof document (6 events, 2 streams) at 1M', ({ proofs, paymentId }) =>
        proofs.paymentProof(paymentId),
      ),
    ],
  },
];
