import type { Kysely } from 'kysely';
import type { EngineTables, ReadModelDatabase } from '@salur/projections';

export const BUDGET_TABLES = {
  payments: 'budgetPayments',
  programmes: 'budgetProgrammes',
} as const;

/** Which programme a payment spends: a fact written once, never changed. */
export type BudgetPaymentRow = {
  readonly id: string;
  readonly programmeId: string;
};

/**
 * A programme's budget. `reserved` and `released` are running totals (everything ever reserved,
 * everything given back); what approvals hold now is reserved − released, and
 * remaining = ceiling − (reserved − released), the programme decider's own rule (budgetOf).
 * `credited` is what sits on beneficiaries' accounts: credits less returns and reversals.
 */
export type BudgetRow = {
  readonly id: string;
  readonly code: string;
  readonly fiscalYear: number;
  readonly ceiling: string;
  readonly reserved: string;
  readonly released: string;
  readonly credited: string;
  readonly remaining: string;
  readonly updatedAt: string;
};

type Stored<Row> = { -readonly [Column in keyof Row]: Row[Column] } & { lastPosition: number };

export type BudgetTables = {
  budgetPayments: Stored<BudgetPaymentRow>;
  budgetProgrammes: Stored<BudgetRow>;
};

export type BudgetDatabase = Kysely<EngineTables & BudgetTables>;

export function budgetDatabase(db: ReadModelDatabase): BudgetDatabase {
  return db.withTables<BudgetTables>();
}
