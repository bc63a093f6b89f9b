import type { Kysely } from 'kysely';
import type { EngineTables, ReadModelDatabase } from '@salur/projections';

export type PaymentStatus =
  | 'scheduled'
  | 'batched'
  | 'sent'
  /** Sent, no final answer past BANK_OUTCOME_TIMEOUT_HOURS: still in flight, never resent blindly. */
  | 'outcome-unknown'
  | 'credited'
  | 'rejected'
  | 'returned'
  /** Two officers decided an unknown outcome was not credited: waiting to be reissued. */
  | 'not-credited'
  | 'reissued'
  | 'reversed';

/**
 * One fold of the payment events for two questions: the payment list (GET /payments, its
 * columns in payment.queries) and each beneficiary's balance (GET /balances).
 */
export const BALANCES_TABLES = {
  payments: 'balancesPayments',
  beneficiaries: 'balancesBeneficiaries',
} as const;

/** One payment: where it stands, in which batch, what the bank credited; the list behind every figure. */
export type BalancePaymentRow = {
  readonly id: string;
  readonly programmeId: string;
  readonly period: string;
  readonly beneficiaryId: string;
  /** The approved amount. */
  readonly amount: string;
  readonly status: PaymentStatus;
  readonly batchId: string | null;
  readonly attempt: number;
  /** What the bank credited for the current attempt (kept after a return, for the record; cleared by a reissue). */
  readonly creditedAmount: string | null;
  readonly deductedAmount: string | null;
  readonly reversedAmount: string | null;
  readonly scheduledAt: string;
  readonly updatedAt: string;
};

/**
 * The money figures of one beneficiary in one programme, each the sum over their payments of
 * what the payment adds by where it stands (figuresOf): a payment adds its approved amount to
 * `approved` and to exactly one of waiting, inFlight or awaitingReissue while it is unpaid; once
 * credited, the credited amount to `credited` and the shortfall to `deducted`; once reversed, the
 * reversed amount to `reversed`. `outstanding` is what is still owed: unpaid amounts and
 * deductions (a reversed payment owes nothing).
 */
export type BalanceFigures = {
  /** Every payment scheduled for them: the approved amounts. */
  readonly approved: string;
  /** Scheduled or reissued, waiting for a batch. */
  readonly waiting: string;
  /** In a batch or sent to the bank, no answer yet (an unknown outcome included). */
  readonly inFlight: string;
  /** On their account now (net of returns and reversals). */
  readonly credited: string;
  /** Rejected or returned by the bank, or decided not credited, waiting to be reissued. */
  readonly awaitingReissue: string;
  readonly reversed: string;
  /** Credited short: taken on the way. Should be 0. */
  readonly deducted: string;
  readonly outstanding: string;
};

export type BalanceRow = BalanceFigures & {
  /** `<programmeId>/<beneficiaryId>`. */
  readonly id: string;
  readonly programmeId: string;
  readonly beneficiaryId: string;
  readonly payments: number;
  readonly updatedAt: string;
};

type Stored<Row> = { -readonly [Column in keyof Row]: Row[Column] } & { lastPosition: number };

export type BalancesTables = {
  balancesPayments: Stored<BalancePaymentRow>;
  balancesBeneficiaries: Stored<BalanceRow>;
};

export type BalancesDatabase = Kysely<EngineTables & BalancesTables>;

export function balancesDatabase(db: ReadModelDatabase): BalancesDatabase {
  return db.withTables<BalancesTables>();
}

export function balanceIdOf(programmeId: string, beneficiaryId: string): string {
  return `${programmeId}/${beneficiaryId}`;
}
