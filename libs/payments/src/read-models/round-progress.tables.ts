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
 * submitted) batch and not yet sent; "outcomeUnknown" was sent and has no final answer past the
 * timeout; "notCredited" was decided so by two officers; "reissued" waits for a batch after a
 * rejection, a return or a not-credited decision. A decided credit counts as "credited".
 */
export type RoundStage =
  | 'scheduled'
  | 'batched'
  | 'approved'
  | 'sent'
  | 'outcomeUnknown'
  | 'credited'
  | 'rejected'
  | 'returned'
  | 'notCredited'
  | 'reissued'
  | 'reversed';

/** The stages of the first schema; later ones are added by migrations (ROUND_PROGRESS_MIGRATIONS). */
export const FIRST_ROUND_STAGES = [
  'scheduled',
  'batched',
  'approved',
  'sent',
  'credited',
  'rejected',
  'returned',
  'reissued',
  'reversed',
] as const satisfies readonly RoundStage[];

export const ROUND_STAGES: readonly RoundStage[] = [...FIRST_ROUND_STAGES, 'outcomeUnknown', 'notCredited'];

/** The stage of a payment status; "batched" splits into batched and approved by its batch. */
export const STAGE_OF_STATUS: Readonly<Record<PaymentStatus, RoundStage>> = {
  scheduled: 'scheduled',
  batched: 'batched',
  sent: 'sent',
  'outcome-unknown': 'outcomeUnknown',
  credited: 'credited',
  rejected: 'rejected',
  returned: 'returned',
  'not-credited': 'notCredited',
  reissued: 'reissued',
  reversed: 'reversed',
};

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
