import type { Kysely } from 'kysely';
import type { EngineTables, ReadModelDatabase } from '@salur/projections';
import type { BankExceptionReason, BankExceptionStatus } from '../domain';

export const BANK_EXCEPTIONS_TABLES = {
  payments: 'bankExceptionsPayments',
  items: 'bankExceptionsItems',
  counts: 'bankExceptionsCounts',
} as const;

/** The batch of a payment's latest attempt: for exceptions recorded before they named their batch. */
export type BankExceptionPaymentRow = {
  readonly id: string;
  readonly batchId: string;
};

/**
 * One item of the exception queue: a line of a bank file that did not reconcile, or a short
 * credit, with what the line said and where its handling stands. The account the line named and
 * the operator's resolution are personal data: kept as the event store holds them (`sealed…`: a
 * sealed envelope's JSON), never in clear; BankExceptionQueries opens them for the reader.
 */
export type BankExceptionRow = {
  readonly id: string;
  /** The list's order: when it was raised, then its file and line (see queueOrderOf). */
  readonly queueOrder: string;
  readonly reason: BankExceptionReason;
  readonly status: BankExceptionStatus;
  readonly sha256: string | null;
  readonly line: number | null;
  readonly paymentId: string | null;
  readonly batchId: string | null;
  readonly endToEndId: string;
  readonly outcome: string;
  readonly detail: string;
  readonly amount: string | null;
  /** The creditor account the line named, sealed; masked on the way out for roles that do not need it. */
  readonly sealedAccountNumber: string | null;
  readonly bankReference: string;
  readonly raisedAt: string;
  readonly assigneeId: string | null;
  readonly assignedBy: string | null;
  readonly assignedAt: string | null;
  readonly resolvedBy: string | null;
  readonly resolvedAt: string | null;
  /** The operator's reason, sealed (free text may name a person). */
  readonly sealedResolution: string | null;
  readonly updatedAt: string;
};

export const BANK_EXCEPTION_COUNT_KINDS = ['batch', 'file'] as const;
export type BankExceptionCountKind = (typeof BANK_EXCEPTION_COUNT_KINDS)[number];

/** The items of one batch or one file, by status; `shortCredits` of them are short credits. */
export type BankExceptionCountRow = {
  /** `batch/<batch id>` or `file/<sha256>`. */
  readonly id: string;
  readonly kind: BankExceptionCountKind;
  /** The batch id or the file's SHA-256. */
  readonly key: string;
  readonly total: number;
  readonly open: number;
  readonly assigned: number;
  readonly resolved: number;
  readonly shortCredits: number;
};

export function countRowIdOf(kind: BankExceptionCountKind, key: string): string {
  return `${kind}/${key}`;
}

type Stored<Row> = { -readonly [Column in keyof Row]: Row[Column] } & { lastPosition: number };

export type BankExceptionsTables = {
  bankExceptionsPayments: Stored<BankExceptionPaymentRow>;
  bankExceptionsItems: Stored<BankExceptionRow>;
  bankExceptionsCounts: Stored<BankExceptionCountRow>;
};

export type BankExceptionsDatabase = Kysely<EngineTables & BankExceptionsTables>;

export function bankExceptionsDatabase(db: ReadModelDatabase): BankExceptionsDatabase {
  return db.withTables<BankExceptionsTables>();
}
