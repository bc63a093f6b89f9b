import type { Kysely } from 'kysely';
import type { EngineTables, ReadModelDatabase } from '@salur/projections';

export const BATCH_VIEWS_TABLES = {
  payments: 'batchViewsPayments',
  batches: 'batchViewsBatches',
} as const;

/** The batch of a payment's latest attempt: for the facts that name only the payment. */
export type BatchViewPaymentRow = {
  readonly id: string;
  readonly batchId: string;
  /** 1 while the payment's outcome in that batch is unknown (PaymentOutcomeUnknown, not yet resolved), else 0. */
  readonly outcomeUnknown: number;
};

export const BATCH_VIEW_STATUSES = [
  'pending',
  'approved',
  'submitted',
  'settled',
  'rejected',
  'cancelled',
  'expired',
] as const;
export type BatchViewStatus = (typeof BATCH_VIEW_STATUSES)[number];

/**
 * A batch for finance officers, inspectors and the bank-integration role: its content and
 * approvals, its bank file, and what the bank answered for its payments. Result counts are of
 * the payments sent in this batch: credited now (a credit two officers decided included),
 * rejected, returned, reversed after a credit, decided not credited; pending = count − all of
 * those, and `outcomeUnknown` of the pending ones have no answer past the timeout. The file
 * columns stay null until a bank file is generated; `exceptions` counts the bank result lines
 * about its payments that reconciliation set aside. `settled` once every line has a final outcome.
 */
export type BatchViewRow = {
  readonly id: string;
  readonly programmeId: string;
  readonly period: string;
  readonly status: BatchViewStatus;
  readonly makerId: string;
  /** JSON array of user ids: the approvers of the current content. */
  readonly approverIds: string;
  readonly requiredApprovals: number;
  readonly count: number;
  readonly controlSum: string;
  readonly contentHash: string;
  readonly sent: number;
  readonly credited: number;
  readonly rejected: number;
  readonly returned: number;
  readonly reversed: number;
  readonly notCredited: number;
  readonly pending: number;
  readonly outcomeUnknown: number;
  readonly exceptions: number;
  /** The pain.001 if one was generated, else the latest file. */
  readonly fileName: string | null;
  readonly fileSha256: string | null;
  readonly fileFormat: string | null;
  readonly fileGeneratedAt: string | null;
  /** JSON array of every generated file: { format, fileName, sha256, count, controlSum, generatedAt }. */
  readonly files: string;
  readonly createdAt: string;
  readonly approvedAt: string | null;
  readonly submittedAt: string | null;
  readonly settledAt: string | null;
  readonly closedAt: string | null;
  readonly expiresAt: string;
  readonly updatedAt: string;
};

type Stored<Row> = { -readonly [Column in keyof Row]: Row[Column] } & { lastPosition: number };

export type BatchViewsTables = {
  batchViewsPayments: Stored<BatchViewPaymentRow>;
  batchViewsBatches: Stored<BatchViewRow>;
};

export type BatchViewsDatabase = Kysely<EngineTables & BatchViewsTables>;

export function batchViewsDatabase(db: ReadModelDatabase): BatchViewsDatabase {
  return db.withTables<BatchViewsTables>();
}
