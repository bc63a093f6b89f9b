import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { handleCommand, loadStream } from '@salur/application';
import { batchDecider, batchStreamName, reservationIdFor } from '@salur/batches/domain';
import { EventStore, RecordedEvent, StreamAppend } from '@salur/event-store';
import { periodsOfSchedule, programmeDecider, programmeStreamName } from '@salur/programmes/domain';
import { checkLedger, checkProjectionsAgree, Violation } from '@salur/invariants';
import { migrateReadModels, openReadModelDatabase, Projection, rebuildProjection } from '@salur/projections';
import { sha256Of } from '../../../libs/bank-integration/src/application/bank-file-writer';
import { syntheticBeneficiary } from '../../bank-integration/support/synthetic-registry';
import { bankJobStreamName } from '@salur/queue';
import { LEDGER_PROJECTIONS } from '@salur/ledger';

export const programmeId = 'BANTU-UMAK-2026';
export const period = '2026-11';
export const BENEFIT = '600000.00';
/** Streams per seeding transaction: one fsync each, not one per beneficiary. */
const SEED_CHUNK = 1_000;

export function beneficiaryIdOf(n: number): string {
  return `b0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** The programme and `count` active beneficiaries, appended straight to the log the worker reads. */
export async function seedRound(store: EventStore, count: number): Promise<void> {
  const at = '2026-11-01T00:00:00.000Z';
  const metadata = { actor: { userId: 'seed', role: 'admin' } };
  await store.append(`programme-${programmeId}`, [
    {
      id: randomUUID(),
      type: 'ProgrammeCreated',
      data: {
        programmeId,
        code: 'BANTU-UMAK',
        name: 'Bantuan Langsung Tunai',
        fiscalYear: 2026,
        currency: 'IDR',
        budgetCeiling: '100000000000.00',
        benefitAmount: BENEFIT,
        createdBy: 'seed',
        at,
      },
      metadata,
    },
    {
      id: randomUUID(),
      type: 'ProgrammeScheduleDeclared',
      data: { programmeId, kind: 'monthly', periods: periodsOfSchedule('monthly', 2026), declaredBy: 'seed', at },
      metadata,
    },
  ]);
  if (!store.appendMany) throw new Error('seeding needs a store with appendMany (SQLite, PostgreSQL)');
  for (let first = 1; first <= count; first += SEED_CHUNK) {
    const appends: StreamAppend[] = [];
    for (let n = first; n < Math.min(first + SEED_CHUNK, count + 1); n++) {
      const person = syntheticBeneficiary(n);
      const beneficiaryId = beneficiaryIdOf(n);
      appends.push({
        streamName: `beneficiary-${beneficiaryId}`,
        options: { expectedRevision: 'no_stream' },
        events: [
          {
            id: randomUUID(),
            type: 'BeneficiaryEnrolled',
            data: {
              beneficiaryId,
              programmeId,
              nik: person.nik,
              kk: person.kk,
              name: person.name,
              regionCode: person.regionCode,
              bankAccount: {
                bankCode: person.bankCode,
                accountNumber: person.accountNumber,
                accountHolderName: person.name,
              },
              enrolledBy: 'seed',
              at,
            },
            metadata,
          },
        ],
      });
    }
    await store.appendMany(appends);
  }
}

/** Every event of the given types, in log order. */
export async function eventsOf(store: EventStore, ...types: string[]): Promise<RecordedEvent[]> {
  const wanted = new Set(types);
  const found: RecordedEvent[] = [];
  for await (const event of store.readAll()) if (wanted.has(event.type)) found.push(event);
  return found;
}

/** The job's end as the ledger recorded it, or undefined while it is owed. */
export async function jobFinishes(store: EventStore, jobId: string): Promise<RecordedEvent[]> {
  const finishes: RecordedEvent[] = [];
  for await (const event of store.readStream(bankJobStreamName(jobId))) {
    if (event.type === 'BankJobFinished') finishes.push(event);
  }
  return finishes;
}

/** Two approvers sign the batch off, its budget reserved first as the HTTP path does. */
export async function approve(store: EventStore, batchId: string): Promise<void> {
  const { state } = await loadStream(store, batchStreamName(batchId), batchDecider);
  if (state.status === 'absent') throw new Error(`no batch ${batchId}`);
  const approver = {
    actor: { userId: 'fo-approver-a', role: 'finance-officer' as const },
    now: new Date().toISOString(),
  };
  await handleCommand(
    store,
    programmeStreamName(programmeId),
    programmeDecider,
    {
      type: 'ReserveBudget',
      data: {
        programmeId,
        reservationId: reservationIdFor(batchId, state.contentHash),
        amount: state.controlSum,
        batchId,
      },
      context: approver,
    },
    { metadata: { actor: approver.actor } },
  );
  for (const userId of ['fo-approver-a', 'fo-approver-b'].slice(0, state.requiredApprovals)) {
    await handleCommand(
      store,
      batchStreamName(batchId),
      batchDecider,
      {
        type: 'ApproveBatch',
        data: { batchId, contentHash: state.contentHash },
        context: { actor: { userId, role: 'finance-officer' }, now: new Date().toISOString() },
      },
      { metadata: { actor: { userId, role: 'finance-officer' } } },
    );
  }
}

/**
 * The round as the ledger tells it, for the exactly-once assertions: per beneficiary its
 * PaymentScheduled events, per payment the batches whose BatchCreated lists it, per batch its
 * recorded files.
 */
export interface RoundFacts {
  readonly scheduledPerBeneficiary: ReadonlyMap<string, number>;
  readonly batchesPerPayment: ReadonlyMap<string, readonly string[]>;
  readonly batches: ReadonlyMap<string, { readonly count: number; readonly controlSum: string }>;
  readonly files: readonly { batchId: string; format: string; fileName: string; sha256: string }[];
}

export async function roundFacts(store: EventStore): Promise<RoundFacts> {
  const scheduledPerBeneficiary = new Map<string, number>();
  const batchesPerPayment = new Map<string, string[]>();
  const batches = new Map<string, { count: number; controlSum: string }>();
  const files: RoundFacts['files'][number][] = [];
  for await (const event of store.readAll()) {
    const data = event.data as Record<string, unknown>;
    if (event.type === 'PaymentScheduled' && data.programmeId === programmeId && data.period === period) {
      const beneficiaryId = String(data.beneficiaryId);
      scheduledPerBeneficiary.set(beneficiaryId, (scheduledPerBeneficiary.get(beneficiaryId) ?? 0) + 1);
    } else if (event.type === 'BatchCreated') {
      const batchId = String(data.batchId);
      batches.set(batchId, { count: Number(data.count), controlSum: String(data.controlSum) });
      for (const line of data.payments as Array<{ paymentId: string }>) {
        batchesPerPayment.set(line.paymentId, [...(batchesPerPayment.get(line.paymentId) ?? []), batchId]);
      }
    } else if (event.type === 'BatchFileGenerated') {
      files.push({
        batchId: String(data.batchId),
        format: String(data.format),
        fileName: String(data.fileName),
        sha256: String(data.sha256),
      });
    }
  }
  return { scheduledPerBeneficiary, batchesPerPayment, batches, files };
}

/** Each recorded file's bytes on disk, hashed again. */
export async function sha256OnDisk(filesDir: string, fileName: string): Promise<string | undefined> {
  return sha256Of(join(filesDir, 'outbound', fileName)).catch(() => undefined);
}

/**
 * The invariant checker over the whole log, then the given read models against a fresh fold of
 * it (the checker's `projection-agrees`). The worker app keeps no read models, so each is first
 * built from zero into a fresh SQLite file, by the code of `npm run cli -- projections rebuild`.
 */
export async function checkLedgerAndReadModels(
  store: EventStore,
  readModelPath: string,
  projections: readonly Projection[],
): Promise<{ events: number; violations: readonly Violation[] }> {
  const { events, violations } = await checkLedger(store);
  const db = openReadModelDatabase({ dialect: 'sqlite', sqlitePath: readModelPath, postgresUrl: 'unused://' });
  try {
    await migrateReadModels(db, LEDGER_PROJECTIONS);
    for (const projection of projections) await rebuildProjection(db, store, projection);
    return { events, violations: [...violations, ...(await checkProjectionsAgree(store, db, projections))] };
  } finally {
    await db.destroy();
  }
}
