import type { Kysely } from 'kysely';
import type { PaymentStatus } from './balances.tables';
import type { EngineTables, ReadModelDatabase } from '@salur/projections';

export const ROUND_PROGRESS_TABLES = {
  payments: 'roundProgressPayments',
  batches: 'roundProgressBatches',
  rounds: 'roundProgressRounds',
} as const;

/** Where each payment of a round stands, and in which batch. */
export type RoundPaymentRow = {
  readonly id: string;
  readonly programmeId: string;
  readonly period: string;
  readonly status: PaymentStatus;
  readonly batchId: string | null;
  readonly attempt: number;
};

/**
 * A batch as the rounds need it: whether it is approved, and how many of its payments wait in
 * it unsent (those move between "batched" and "approved" when it is approved or closed). A row can
 * exist before its BatchCreated: a batch claims its payments first.
 */
export type RoundBatchRow = {
  readonly id: string;
  readonly programmeId: string | null;
  readonly period: string | null;
  readonly status: string | null;
  readonly waiting: number;
};

/**
 * Where the payments of one programme period stand, one count per stage; the stages add up to
 * `payments`. "batched" is in a batch not yet approved; "approved" is in an approved (or
 * submitted) batch and not yet sent; "reissued" waits for a batch after a rejection or return.
 */
export type RoundStage =
  'scheduled' | 'batched' | 'approved' | 'sent' | 'credited' | 'rejected' | 'returned' | 'reissued' | 'reversed';

export const ROUND_STAGES: readonly RoundStage[] = [
  'scheduled',
  'batched',
  'approved',
  'sent',
  'credited',
  'rejected',
  'returned',
  'reissued',
  'reversed',
];

export type RoundRow = { readonly id: string; readonly programmeId: string; readonly period: string } & {
  readonly [Stage in RoundStage]: number;
} & { readonly payments: number; readonly updatedAt: string };

type Stored<Row> = { -readonly [Column in keyof Row]: Row[Column] } & { lastPosition: number };

export type RoundProgressTables = {
  roundProgressPayments: Stored<RoundPaymentRow>;
  roundProgressBatches: Stored<RoundBatchRow>;
  roundProgressRounds: Stored<RoundRow>;
};

export type RoundProgressDatabase = Kysely<EngineTables & RoundProgressTables>;

export function roundProgressDatabase(db: ReadModelDatabase): RoundProgressDatabase {
  return db.withTables<RoundProgressTables>();
}

export function roundIdOf(programmeId: string, period: string): string {
  return `${programmeId}/${period}`;
}
