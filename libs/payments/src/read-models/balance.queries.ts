import { Inject, Injectable } from '@nestjs/common';
import { READ_MODEL_DATABASE, type ReadModelDatabase } from '@salur/projections';
import { Page, PageRequest, readPage } from '@salur/projections';
import { figuresOf } from './balance-figures';
import {
  balanceIdOf,
  type BalanceFigures,
  type BalancePaymentRow,
  type BalanceRow,
  type BalancesDatabase,
  balancesDatabase,
} from './balances.tables';

/** A payment behind a balance, with what it adds to each figure. */
export type BalancePaymentView = BalancePaymentRow & { readonly figures: Partial<BalanceFigures> };

export type BalanceView = BalanceRow & { readonly paymentList: BalancePaymentView[] };

export interface BalanceFilter {
  readonly programmeId?: string;
  readonly beneficiaryId?: string;
}

const BALANCE_COLUMNS = [
  'id',
  'programmeId',
  'beneficiaryId',
  'payments',
  'approved',
  'waiting',
  'inFlight',
  'credited',
  'awaitingReissue',
  'reversed',
  'deducted',
  'outstanding',
  'updatedAt',
] as const satisfies readonly (keyof BalanceRow)[];

export const BALANCE_PAYMENT_COLUMNS = [
  'id',
  'programmeId',
  'period',
  'beneficiaryId',
  'amount',
  'status',
  'batchId',
  'attempt',
  'creditedAmount',
  'deductedAmount',
  'reversedAmount',
  'scheduledAt',
  'updatedAt',
] as const satisfies readonly (keyof BalancePaymentRow)[];

/** Balances per beneficiary and programme, each with its payments; ordered by programme, then beneficiary. */
@Injectable()
export class BalanceQueries {
  private readonly db: BalancesDatabase;

  constructor(@Inject(READ_MODEL_DATABASE) db: ReadModelDatabase) {
    this.db = balancesDatabase(db);
  }

  async get(programmeId: string, beneficiaryId: string): Promise<BalanceView | undefined> {
    const row = await this.db
      .selectFrom('balancesBeneficiaries')
      .select(BALANCE_COLUMNS)
      .where('id', '=', balanceIdOf(programmeId, beneficiaryId))
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const [view] = await this.withPayments([row]);
    return view;
  }

  list(filter: BalanceFilter = {}, page: PageRequest = {}): Promise<Page<BalanceView>> {
    const { programmeId, beneficiaryId } = filter;
    return readPage(
      page,
      async (after, limit) => {
        let query = this.db.selectFrom('balancesBeneficiaries').select(BALANCE_COLUMNS);
        if (programmeId !== undefined) query = query.where('programmeId', '=', programmeId);
        if (beneficiaryId !== undefined) query = query.where('beneficiaryId', '=', beneficiaryId);
        if (after !== undefined) query = query.where('id', '>', after[1]);
        const rows = await query.orderBy('id').limit(limit).execute();
        return this.withPayments(rows);
      },
      (row) => row.id,
      (row) => row,
    );
  }

  /** The payments of one beneficiary in one programme, by period. */
  async payments(programmeId: string, beneficiaryId: string): Promise<BalancePaymentView[]> {
    const rows = await this.db
      .selectFrom('balancesPayments')
      .select(BALANCE_PAYMENT_COLUMNS)
      .where('programmeId', '=', programmeId)
      .where('beneficiaryId', '=', beneficiaryId)
      .orderBy('period')
      .orderBy('id')
      .execute();
    return rows.map(paymentView);
  }

  /** Ids of a beneficiary's payments in a programme: facts that never change once written. */
  async paymentIds(programmeId: string, beneficiaryId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('balancesPayments')
      .select('id')
      .where('programmeId', '=', programmeId)
      .where('beneficiaryId', '=', beneficiaryId)
      .execute();
    return rows.map((row) => row.id);
  }

  private async withPayments(rows: BalanceRow[]): Promise<BalanceView[]> {
    if (rows.length === 0) return [];
    const payments = await this.db
      .selectFrom('balancesPayments')
      .select(BALANCE_PAYMENT_COLUMNS)
      .where((eb) =>
        eb.or(
          rows.map((row) =>
            eb.and([eb('programmeId', '=', row.programmeId), eb('beneficiaryId', '=', row.beneficiaryId)]),
          ),
        ),
      )
      .orderBy('period')
      .orderBy('id')
      .execute();
    const byBalance = new Map<string, BalancePaymentView[]>();
    for (const payment of payments) {
      const key = balanceIdOf(payment.programmeId, payment.beneficiaryId);
      byBalance.set(key, [...(byBalance.get(key) ?? []), paymentView(payment)]);
    }
    return rows.map((row) => ({ ...row, paymentList: byBalance.get(row.id) ?? [] }));
  }
}

export function paymentView(payment: BalancePaymentRow): BalancePaymentView {
  return { ...payment, figures: figuresOf(payment) };
}
