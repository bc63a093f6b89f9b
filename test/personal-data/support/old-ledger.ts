import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  AuditLogWriter,
  CheckpointService,
  generateNoteKey,
  MerkleLogStore,
  migrateAuditLog,
  openAuditLogDatabase,
  parseSignerKey,
  type StoredCheckpoint,
} from '@salur/audit-log';
import { reservationIdFor } from '@salur/batches/domain';
import type { ReadModelConfig } from '@salur/database';
import { type EventStore, type NewEvent, SqliteEventStore } from '@salur/event-store';
import { identifyLedger } from '@salur/queue';
import { beneficiary, PROGRAMME, recordRound } from '../../audit-log/support/ledger-history';

/*
 * A ledger as it was written before personal data was sealed: the events go straight into a raw
 * store (names, NIKs, KKs, accounts and officers' reasons in clear), and an audit log over it has
 * signed a checkpoint. Payments come from the payment decider (test/audit-log/support), and the
 * programme's schedule, budget and reservation make the invariant checker find nothing wrong.
 */

export const OLD_ORIGIN = 'salur.example/old-ledger';
export const NIK = '3174011501900003';
export const KK = '3174010101900001';
export const NAME = 'Siti Aminah Binti Usman';
export const ACCOUNT = '001901000378301';
export const HOLDER = 'SITI AMINAH';
export const REASON = 'letter from the Bupati about Siti Aminah Binti Usman';
/** Values an old event holds in clear that must never reach the new store's bytes. */
export const CLEAR_VALUES = [NIK, KK, NAME, ACCOUNT, HOLDER, REASON];

export interface OldLedger {
  readonly eventsPath: string;
  readonly auditPath: string;
  readonly checkpoint: StoredCheckpoint;
  readonly eventCount: number;
}

const PERIOD = '2026-11';
const CEILING = '900000000.00';

function newEvent(type: string, data: Record<string, unknown>, userId = 'po-1'): NewEvent {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: { actor: { userId, role: 'programme-officer' }, correlationId: randomUUID(), schemaVersion: 1 },
  };
}

async function enrol(store: EventStore, n: number): Promise<void> {
  const beneficiaryId = beneficiary(n);
  await store.append(
    `beneficiary-${beneficiaryId}`,
    [
      newEvent(
        'BeneficiaryEnrolled',
        {
          beneficiaryId,
          programmeId: PROGRAMME,
          nik: n === 1 ? NIK : `31740115019000${10 + n}`,
          kk: n === 1 ? KK : `31740101019000${10 + n}`,
          name: n === 1 ? NAME : `Penerima Lama ${n}`,
          regionCode: '16.06.01.2001',
          bankAccount: {
            bankCode: '002',
            accountNumber: n === 1 ? ACCOUNT : `0019010003783${10 + n}`,
            accountHolderName: HOLDER,
          },
          enrolledBy: 'eo-1',
          at: '2026-11-01T08:00:00.000Z',
        },
        'eo-1',
      ),
    ],
    { expectedRevision: 'no_stream' },
  );
}

/** Writes the old ledger into `directory` (salur.db, salur-audit.db) and signs a checkpoint over all of it. */
export async function writeOldLedger(directory: string): Promise<OldLedger> {
  const eventsPath = join(directory, 'salur.db');
  const auditPath = join(directory, 'salur-audit.db');
  const store = new SqliteEventStore({ path: eventsPath });
  try {
    const eventCount = await writeOldEvents(store);
    return { eventsPath, auditPath, checkpoint: await signOldLog(store, auditPath), eventCount };
  } finally {
    await store.close();
  }
}

/** The old ledger's events, through the raw store; returns how many. */
export async function writeOldEvents(store: EventStore): Promise<number> {
  await identifyLedger(store);
  await store.append(`programme-${PROGRAMME}`, [
    newEvent('ProgrammeCreated', {
      programmeId: PROGRAMME,
      code: 'BANTU-UMAK',
      name: 'Bantuan Usaha Mikro',
      fiscalYear: 2026,
      currency: 'IDR',
      budgetCeiling: '800000000.00',
      benefitAmount: '600000.00',
      createdBy: 'po-1',
      at: '2026-11-01T07:00:00.000Z',
    }),
    newEvent('ProgrammeScheduleDeclared', {
      programmeId: PROGRAMME,
      kind: 'monthly',
      periods: [PERIOD],
      declaredBy: 'po-1',
      at: '2026-11-01T07:00:01.000Z',
    }),
    newEvent('BudgetCeilingRaised', {
      programmeId: PROGRAMME,
      previousCeiling: '800000000.00',
      newCeiling: CEILING,
      reason: REASON,
      remainingBudget: CEILING,
      raisedBy: 'po-1',
      at: '2026-11-01T07:00:02.000Z',
    }),
  ]);
  for (const n of [1, 2, 3]) await enrol(store, n);
  await store.append(`beneficiary-${beneficiary(3)}`, [
    newEvent('BeneficiarySuspended', {
      beneficiaryId: beneficiary(3),
      programmeId: PROGRAMME,
      reason: REASON,
      suspendedBy: 'eo-1',
      at: '2026-11-01T09:00:00.000Z',
    }),
  ]);
  const round = await recordRound(
    store,
    [
      { beneficiaryId: beneficiary(1), amount: '600000.00', outcome: { credited: '600000.00' } },
      { beneficiaryId: beneficiary(2), amount: '450000.00', outcome: { credited: '450000.00' } },
    ],
    // Written before batches' lines became a Merkle tree: the first content hash, lines kept whole.
    { period: PERIOD, batchFormat: 'v1' },
  );
  // recordRound approves with the content hash sha256(batchId); approval reserves the batch's total.
  const contentHash = createHash('sha256').update(round.batchId).digest('hex');
  await store.append(`programme-${PROGRAMME}`, [
    newEvent('BudgetReserved', {
      programmeId: PROGRAMME,
      reservationId: reservationIdFor(round.batchId, contentHash),
      batchId: round.batchId,
      amount: '1050000.00',
      remainingBudget: '898950000.00',
      reservedBy: 'fo-3',
      at: '2026-11-02T09:00:00.000Z',
    }),
  ]);
  let eventCount = 0;
  for await (const _ of store.readAll()) eventCount++;
  return eventCount;
}

/** Brings the old audit log up to the store and signs a checkpoint, as `audit checkpoint` does. */
export async function signOldLog(store: EventStore, audit: string | ReadModelConfig): Promise<StoredCheckpoint> {
  const config: ReadModelConfig =
    typeof audit === 'string' ? { dialect: 'sqlite', sqlitePath: audit, postgresUrl: '' } : audit;
  const db = openAuditLogDatabase(config);
  try {
    await migrateAuditLog(db, config.dialect);
    const log = new MerkleLogStore(db);
    await new AuditLogWriter(log).catchUp(store);
    const key = parseSignerKey(generateNoteKey(OLD_ORIGIN).signerKey);
    return await new CheckpointService(log, { origin: OLD_ORIGIN, key, witnesses: [] }).signLatest();
  } finally {
    await db.destroy();
  }
}
