import type { Kysely } from 'kysely';
import type { EngineTables, ReadModelDatabase } from '@salur/projections';

export const AUDIT_TRAIL_TABLES = {
  beneficiaries: 'auditTrailBeneficiaries',
  payments: 'auditTrailPayments',
  batches: 'auditTrailBatches',
  events: 'auditTrailEvents',
  subjects: 'auditTrailSubjects',
} as const;

/**
 * Who a beneficiary is, for every later event about them: NIK, KK and region are in the
 * enrolment only. NIK and KK are kept sealed, as the event store holds them (`sealed…`: the
 * envelope's JSON), and as keyed search keys to find the beneficiary by a number given in full;
 * never in clear. The region code's levels have their own columns, so a region query is an
 * equality on one of them, indexed in both dialects whatever the server's collation.
 */
export type AuditBeneficiaryRow = {
  readonly id: string;
  readonly programmeId: string;
  /** Null once the beneficiary's data was erased: the number no longer finds them. */
  readonly nikSearchKey: string | null;
  readonly kkSearchKey: string | null;
  readonly sealedNik: string | null;
  readonly sealedKk: string | null;
  /** The village: `16.06.01.2001`. */
  readonly regionCode: string;
  readonly province: string;
  readonly regency: string;
  readonly district: string;
};

/** A payment's round and beneficiary, and the batch of its latest attempt. */
export type AuditPaymentRow = {
  readonly id: string;
  readonly programmeId: string;
  readonly period: string;
  readonly beneficiaryId: string;
  readonly batchId: string | null;
};

export type AuditBatchRow = {
  readonly id: string;
  readonly programmeId: string;
  readonly period: string;
};

/**
 * One row per event of the log, whatever its type, with what it is about resolved through the
 * lookups above. `id` is the global position, zero-padded to 16 digits, so the primary key is
 * also the log's order and the cursor of every page. `data` is the event's data as the event
 * store holds it, as JSON text: its personal fields sealed, like `sealedNik` and `sealedKk` (the
 * subject's, from the enrolment). AuditTrailQueries opens them; the controller masks them.
 */
export type AuditEventRow = {
  readonly id: string;
  readonly position: number;
  readonly eventId: string;
  readonly type: string;
  readonly streamName: string;
  readonly revision: number;
  readonly recordedAt: string;
  readonly occurredAt: string | null;
  readonly actorUserId: string | null;
  readonly actorRole: string | null;
  readonly correlationId: string | null;
  readonly causationId: string | null;
  readonly programmeId: string | null;
  readonly period: string | null;
  readonly batchId: string | null;
  readonly paymentId: string | null;
  readonly beneficiaryId: string | null;
  readonly sealedNik: string | null;
  readonly sealedKk: string | null;
  readonly regionCode: string | null;
  readonly data: string;
};

/** An event about several beneficiaries (PersonalDataViewed of a page): one row per beneficiary. */
export type AuditSubjectRow = {
  /** `<event row id>/<beneficiary id>`. */
  readonly id: string;
  readonly eventRowId: string;
  readonly beneficiaryId: string;
};

type Stored<Row> = { -readonly [Column in keyof Row]: Row[Column] } & { lastPosition: number };

export type AuditTrailTables = {
  auditTrailBeneficiaries: Stored<AuditBeneficiaryRow>;
  auditTrailPayments: Stored<AuditPaymentRow>;
  auditTrailBatches: Stored<AuditBatchRow>;
  auditTrailEvents: Stored<AuditEventRow>;
  auditTrailSubjects: Stored<AuditSubjectRow>;
};

export type AuditTrailDatabase = Kysely<EngineTables & AuditTrailTables>;

export function auditTrailDatabase(db: ReadModelDatabase): AuditTrailDatabase {
  return db.withTables<AuditTrailTables>();
}

/** Positions stay below 2^53 (16 digits): padded, they sort as text in the log's order. */
export const POSITION_DIGITS = 16;

export function auditRowIdOf(position: number): string {
  return String(position).padStart(POSITION_DIGITS, '0');
}
