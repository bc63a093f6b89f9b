import { createHash, hash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuditLogDatabase,
  AuditLogWriter,
  CheckpointService,
  generateNoteKey,
  hashedLeafOf,
  hashLeafPrefixed,
  leafBytesOf,
  MAX_APPEND_EVENTS,
  MerkleAppender,
  MerkleLogStore,
  migrateAuditLog,
  openAuditLogDatabase,
  parseSignerKey,
  ProofService,
} from '@salur/audit-log';
import { contentHashV2Of } from '@salur/batches/domain';
import type { RecordedEvent } from '@salur/event-store';
import { createFreshDatabase } from '../test/support/postgres';
import { Benchmark, median, Measurement, timed } from './harness';

/** Leaves per in-memory run: enough to dominate start-up. */
const LEAVES_PER_RUN = 50_000;
/** Leaves per writer run: ten transactions of the writer's largest batch. */
const WRITER_LEAVES_PER_RUN = 10 * MAX_APPEND_EVENTS;
/**
 * The size of the log the proofs are measured on. 1,000,000 by default (built in ~1-2 min);
 * BENCH_LEAVES=10000000 for the figure (built once in ~15 min, then kept, see below).
 */
const PROOF_TREE_SIZE = Number(process.env.BENCH_LEAVES ?? 1_000_000);
const PROOFS_PER_RUN = 500;

/** A PaymentCredited-sized event (~590 bytes of canonical JSON), as the store returns it. */
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

interface Samples {
  readonly events: RecordedEvent[];
  /** The leaf bytes (RFC 8785 of the event record): what the baseline hashes. */
  readonly leafBytes: Buffer[];
  /** 0x00 ‖ leaf bytes in one buffer, as the writer lays them out before hashing. */
  readonly prefixed: Buffer[];
}

let samples: Samples | undefined;

/** Built on first use, so that other benchmarks do not pay for them. */
function sampleLeaves(): Samples {
  if (!samples) {
    const events = Array.from({ length: Math.max(LEAVES_PER_RUN, WRITER_LEAVES_PER_RUN) }, (_, n) => sampleEvent(n));
    const leafBytes = events.map(leafBytesOf);
    samples = { events, leafBytes, prefixed: leafBytes.map((bytes) => Buffer.concat([Buffer.of(0), bytes])) };
  }
  return samples;
}

/** The fastest SHA-256 node:crypto offers, once per leaf over the leaf bytes: the baseline. */
function bareSha256(): Promise<Measurement> {
  const { leafBytes } = sampleLeaves();
  return timed(LEAVES_PER_RUN, () => {
    for (let i = 0; i < LEAVES_PER_RUN; i++) hash('sha256', leafBytes[i], 'buffer');
  });
}

function bareCreateHash(): Promise<Measurement> {
  const { leafBytes } = sampleLeaves();
  return timed(LEAVES_PER_RUN, () => {
    for (let i = 0; i < LEAVES_PER_RUN; i++) createHash('sha256').update(leafBytes[i]).digest();
  });
}

function leafHashesOnly(): Promise<Measurement> {
  const { prefixed } = sampleLeaves();
  return timed(LEAVES_PER_RUN, () => {
    for (let i = 0; i < LEAVES_PER_RUN; i++) hashLeafPrefixed(prefixed[i]);
  });
}

function merkleInMemory(canonicalize: boolean): Promise<Measurement> {
  const { events, prefixed } = sampleLeaves();
  return timed(LEAVES_PER_RUN, () => {
    const appender = MerkleAppender.empty();
    for (let i = 0; i < LEAVES_PER_RUN; i++)
      appender.append(canonicalize ? hashedLeafOf(events[i]).hash : hashLeafPrefixed(prefixed[i]));
    appender.root();
  });
}

async function writerOn(dialect: 'sqlite' | 'postgres', eventsPerTransaction: number): Promise<Measurement> {
  const events = sampleLeaves().events.slice(0, WRITER_LEAVES_PER_RUN);
  const directory = mkdtempSync(join(tmpdir(), 'salur-bench-audit-'));
  const database = dialect === 'postgres' ? await createFreshDatabase('bench_audit') : undefined;
  const db = openAuditLogDatabase({
    dialect,
    sqlitePath: join(directory, 'audit.db'),
    postgresUrl: database?.url ?? '',
  });
  try {
    await migrateAuditLog(db, dialect);
    const writer = new AuditLogWriter(new MerkleLogStore(db));
    await writer.state();
    return await timed(events.length, async () => {
      for (let i = 0; i < events.length; i += eventsPerTransaction) {
        await writer.appendEvents(events.slice(i, i + eventsPerTransaction));
      }
    });
  } finally {
    await db.destroy();
    await database?.drop();
    rmSync(directory, { recursive: true, force: true });
  }
}

/*
 * The large log: a synthetic ledger of rounds logged as the ledger logs it today (salur-batch/v2,
 * sealed accounts), through AuditLogWriter.appendEvents in batches of MAX_APPEND_EVENTS: the
 * follower's and the catch-up's own path, nothing written around the writer. The programme's
 * approval policy first; then per batch of 5,000 payments (the largest batch the ledger builds):
 * each beneficiary enrolled (account sealed: an envelope with its commitments), each payment
 * scheduled, BatchCreated with the 5,000 lines and their content hash, the claims, one approval,
 * the pain.001, sent, credited. A payment's events are ~5,000 leaves apart, in streams keyed by
 * random-looking ids, as in the ledger. The sample proof must say full-amount, or the run stops.
 */
const PAYMENTS_PER_BATCH = 5_000;
const EVENTS_PER_BATCH = 5 * PAYMENTS_PER_BATCH + 5;
const PROGRAMME = 'BANTU-UMAK-2026';
const PERIOD = '2026-11';
const AMOUNT = '600000.00';
const CONTROL_SUM = '3000000000.00';
const BANK_CODE = '002';
const BENCH_LOG_FORMAT = 'v2-lines';

/** A UUID-shaped id derived from a label, so a payment id is found again from its number alone. */
function idOf(label: string): string {
  const hex = createHash('sha256').update(label).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const paymentIdOf = (n: number) => idOf(`payment ${n}`);

/** The shape and size of a sealed field (libs/personal-data); its commitment fixed per subject and kind. */
function sealedField(subject: string, kind: string): Record<string, string> {
  const digest = (label: string, bytes: number) =>
    createHash('sha256').update(`${label} ${subject} ${kind}`).digest().subarray(0, bytes).toString('base64url');
  return {
    sealed: 'salur-pd/1',
    subject,
    kind,
    commitment: digest('commitment', 32),
    ciphertext: digest('iv', 12) + digest('text', 16) + digest('tag', 16),
  };
}

function* syntheticLedger(size: number): Generator<RecordedEvent> {
  let position = 0;
  const event = (streamName: string, revision: number, type: string, data: Record<string, unknown>) =>
    ({
      id: idOf(`event ${position}`),
      streamName,
      revision,
      type,
      position: ++position,
      recordedAt: '2026-11-05T08:00:00.000Z',
      data,
      metadata: { actor: { userId: 'fo-1', role: 'finance-officer' }, correlationId: idOf(`c ${position}`) },
    }) as RecordedEvent;
  yield event(`programme-${PROGRAMME}`, 0, 'ApprovalPolicyDeclared', {
    programmeId: PROGRAMME,
    tiers: [{ upTo: null, approvers: 1 }],
    declaredBy: 'po-1',
    at: '2026-11-01T08:00:00.000Z',
  });
  const batches = Math.floor((size - 1) / EVENTS_PER_BATCH);
  for (let b = 0; b < batches; b++) {
    const batchId = idOf(`batch ${b}`);
    const ids = Array.from({ length: PAYMENTS_PER_BATCH }, (_, i) => paymentIdOf(b * PAYMENTS_PER_BATCH + i));
    const beneficiaryOf = (paymentId: string) => idOf(`beneficiary ${paymentId}`);
    const accountOf = (beneficiaryId: string) => ({
      bankCode: BANK_CODE,
      accountNumber: sealedField(`beneficiary-${beneficiaryId}`, 'account-number'),
      accountHolderName: sealedField(`beneficiary-${beneficiaryId}`, 'account-holder-name'),
    });
    for (const paymentId of ids) {
      const beneficiaryId = beneficiaryOf(paymentId);
      const subject = `beneficiary-${beneficiaryId}`;
      yield event(subject, 0, 'BeneficiaryEnrolled', {
        beneficiaryId,
        programmeId: PROGRAMME,
        nik: sealedField(subject, 'nik'),
        kk: sealedField(subject, 'kk'),
        name: sealedField(subject, 'name'),
        regionCode: '16.06.01.2001',
        bankAccount: accountOf(beneficiaryId),
      });
      yield event(`payment-${paymentId}`, 0, 'PaymentScheduled', {
        paymentId,
        beneficiaryId,
        programmeId: PROGRAMME,
        period: PERIOD,
        amount: AMOUNT,
      });
    }
    const lines = ids.map((paymentId) => ({
      paymentId,
      beneficiaryId: beneficiaryOf(paymentId),
      amount: AMOUNT,
      bankCode: BANK_CODE,
      beneficiaryRevision: 0,
    }));
    const { contentHash } = contentHashV2Of({ batchId, programmeId: PROGRAMME, period: PERIOD }, lines);
    yield event(`batch-${batchId}`, 0, 'BatchCreated', {
      batchId,
      programmeId: PROGRAMME,
      period: PERIOD,
      makerId: 'fo-2',
      payments: lines,
      count: lines.length,
      controlSum: CONTROL_SUM,
      contentHash,
      contentFormat: 'salur-batch/v2',
    });
    for (const paymentId of ids)
      yield event(`payment-${paymentId}`, 1, 'PaymentBatched', {
        paymentId,
        batchId,
        attempt: 1,
        account: accountOf(beneficiaryOf(paymentId)),
        beneficiaryRevision: 0,
      });
    yield event(`batch-${batchId}`, 1, 'BatchApprovalRecorded', {
      batchId,
      approverId: 'fo-3',
      contentHash,
      approvals: 1,
      requiredApprovals: 1,
    });
    yield event(`batch-${batchId}`, 2, 'BatchApproved', {
      batchId,
      programmeId: PROGRAMME,
      contentHash,
      approverIds: ['fo-3'],
      count: lines.length,
      controlSum: CONTROL_SUM,
    });
    yield event(`batch-${batchId}`, 3, 'BatchFileGenerated', {
      batchId,
      format: 'pain001',
      sha256: createHash('sha256').update(`file ${b}`).digest('hex'),
      count: lines.length,
      controlSum: CONTROL_SUM,
      chargeBearer: 'DEBT',
    });
    for (const paymentId of ids) yield event(`payment-${paymentId}`, 2, 'PaymentSentToBank', { paymentId, batchId });
    yield event(`batch-${batchId}`, 4, 'BatchSubmitted', { batchId });
    for (const paymentId of ids)
      yield event(`payment-${paymentId}`, 3, 'PaymentCredited', {
        paymentId,
        batchId,
        approvedAmount: AMOUNT,
        creditedAmount: AMOUNT,
        deductedAmount: '0.00',
      });
  }
  // Other aggregates' events up to the exact size.
  while (position < size) {
    const beneficiaryId = idOf(`noise ${position}`);
    yield event(`beneficiary-${beneficiaryId}`, 0, 'BeneficiaryEnrolled', { beneficiaryId, regionCode: '16.06' });
  }
}

interface LargeLog {
  readonly db: AuditLogDatabase;
  readonly log: MerkleLogStore;
  readonly proofs: ProofService;
  readonly payments: number;
}

let largeLog: Promise<LargeLog> | undefined;

/**
 * Built once per process; with BENCH_LEAVES set, kept in the temp directory across runs of
 * `npm run bench` (a 10M-leaf log takes minutes and ~9 GB: delete the directory when done).
 */
function buildLargeLog(): Promise<LargeLog> {
  largeLog ??= (async () => {
    const keep = process.env.BENCH_LEAVES !== undefined;
    const directory = join(tmpdir(), `salur-bench-audit-${PROOF_TREE_SIZE}-${BENCH_LOG_FORMAT}`);
    if (!keep) process.on('exit', () => rmSync(directory, { recursive: true, force: true }));
    const path = join(directory, 'audit.db');
    const complete = join(directory, 'complete');
    if (!existsSync(complete)) rmSync(directory, { recursive: true, force: true });
    mkdirSync(directory, { recursive: true });
    const db = openAuditLogDatabase({ dialect: 'sqlite', sqlitePath: path, postgresUrl: '' });
    await migrateAuditLog(db, 'sqlite');
    const log = new MerkleLogStore(db);
    if (!existsSync(complete)) await fill(log, directory);
    const checkpoints = new CheckpointService(log, {
      origin: 'salur.example/ledger',
      key: parseSignerKey(generateNoteKey('salur.example/ledger').signerKey),
      witnesses: [],
    });
    if ((await checkpoints.signLatest()).treeSize !== PROOF_TREE_SIZE)
      throw new Error('the large log has the wrong size');
    const proofs = new ProofService(log, checkpoints);
    const payments = Math.floor((PROOF_TREE_SIZE - 1) / EVENTS_PER_BATCH) * PAYMENTS_PER_BATCH;
    const sample = await proofs.paymentProof(paymentIdOf(payments - 1));
    if (sample.payments[0]?.summary?.verdict !== 'full-amount')
      throw new Error(`the synthetic payment does not prove full: ${JSON.stringify(sample.payments[0])}`);
    const bytes = Buffer.byteLength(JSON.stringify(sample));
    process.stderr.write(
      `  a payment proof in a ${PAYMENTS_PER_BATCH}-line batch at ${PROOF_TREE_SIZE} leaves: ${bytes} bytes of JSON\n`,
    );
    return { db, log, proofs, payments };
  })();
  return largeLog;
}

async function fill(log: MerkleLogStore, directory: string): Promise<void> {
  const writer = new AuditLogWriter(log);
  const started = process.hrtime.bigint();
  let batch: RecordedEvent[] = [];
  for (const event of syntheticLedger(PROOF_TREE_SIZE)) {
    batch.push(event);
    if (batch.length < MAX_APPEND_EVENTS) continue;
    const { treeSize } = await writer.appendEvents(batch);
    batch = [];
    if (treeSize % 500_000 === 0) {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      process.stderr.write(`  building the audit log: ${treeSize} leaves in ${seconds.toFixed(0)} s\n`);
    }
  }
  if (batch.length > 0) await writer.appendEvents(batch);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stderr.write(
    `  built an audit log of ${PROOF_TREE_SIZE} leaves through the writer in ${seconds.toFixed(0)} s ` +
      `(${Math.round(PROOF_TREE_SIZE / seconds)} leaves/s) in ${directory}\n`,
  );
  mkdirSync(join(directory, 'complete'), { recursive: true });
}

const randomBelow = (n: number) => Math.floor(Math.random() * n);

/** Runs PROOFS_PER_RUN proofs, timing each: the run's rate, median (p50) and p99 latency. */
const proofCase = (name: string, prove: (large: LargeLog) => Promise<unknown>) => ({
  name,
  run: async (): Promise<Measurement> => {
    const large = await buildLargeLog();
    const latenciesMs: number[] = [];
    const measurement = await timed(PROOFS_PER_RUN, async () => {
      for (let i = 0; i < PROOFS_PER_RUN; i++) {
        const started = process.hrtime.bigint();
        await prove(large);
        latenciesMs.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    });
    const sorted = latenciesMs.sort((a, b) => a - b);
    const p99 = sorted[Math.ceil(0.99 * sorted.length) - 1];
    return { ...measurement, latencyMs: { p50: round3(median(sorted)), p99: round3(p99) } };
  },
});

const round3 = (ms: number) => Math.round(ms * 1000) / 1000;

const sizeLabel = PROOF_TREE_SIZE % 1_000_000 === 0 ? `${PROOF_TREE_SIZE / 1_000_000}M` : String(PROOF_TREE_SIZE);

export const auditLogBenchmarks: Benchmark[] = [
  {
    name: 'audit-log-append',
    unit: 'leaves/s',
    baseline: { name: 'bare SHA-256 per leaf (crypto.hash one-shot, leaf bytes)', run: bareSha256 },
    cases: [
      { name: 'bare SHA-256 per leaf, createHash().update().digest()', run: bareCreateHash },
      { name: 'leaf hashes only, SHA-256(0x00 ‖ bytes)', run: leafHashesOnly },
      { name: 'Merkle append in memory (leaf + node hashes, ~2 per leaf)', run: () => merkleInMemory(false) },
      { name: 'RFC 8785 + Merkle append in memory', run: () => merkleInMemory(true) },
      { name: 'audit log writer, SQLite, 500 per transaction', run: () => writerOn('sqlite', 500) },
      {
        name: `audit log writer, SQLite, ${MAX_APPEND_EVENTS} per transaction`,
        run: () => writerOn('sqlite', MAX_APPEND_EVENTS),
      },
      {
        name: `audit log writer, PostgreSQL, ${MAX_APPEND_EVENTS} per transaction`,
        run: () => writerOn('postgres', MAX_APPEND_EVENTS),
      },
    ],
  },
  {
    name: 'audit-log-proof',
    unit: 'proofs/s',
    baseline: proofCase(`one leaf read by primary key (SQLite, ${sizeLabel} leaves)`, ({ log }) =>
      log.leavesFrom(randomBelow(PROOF_TREE_SIZE), 1),
    ),
    cases: [
      proofCase(`inclusion proof of a random leaf at ${sizeLabel}`, ({ log }) =>
        log.inclusionProofs([randomBelow(PROOF_TREE_SIZE)], PROOF_TREE_SIZE),
      ),
      proofCase(`consistency proof from a random size to ${sizeLabel}`, ({ log }) =>
        log.consistencyProof(1 + randomBelow(PROOF_TREE_SIZE - 1), PROOF_TREE_SIZE),
      ),
      proofCase(
        `payment proof document of a random payment at ${sizeLabel} in a ${PAYMENTS_PER_BATCH}-line batch`,
        ({ proofs, payments }) => proofs.paymentProof(paymentIdOf(randomBelow(payments))),
      ),
    ],
  },
];
