import { Inject, Injectable } from '@nestjs/common';
import { READ_MODEL_DATABASE, type ReadModelDatabase } from '@salur/projections';
import { Page, PageRequest, readPage } from '@salur/projections';
import { type BalancePaymentRow, type BalancesDatabase, balancesDatabase, type PaymentStatus } from './balances.tables';

export interface PaymentFilter {
  readonly programmeId?: string;
  readonly period?: string;
  readonly status?: PaymentStatus;
  readonly batchId?: string;
  readonly beneficiaryId?: string;
}

/** What the payment list shows of each payment's row. */
export const PAYMENT_VIEW_COLUMNS = [
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
  'scheduledAt',
  'updatedAt',
] as const satisfies readonly (keyof BalancePaymentRow)[];

export type PaymentView = Pick<BalancePaymentRow, (typeof PAYMENT_VIEW_COLUMNS)[number]>;

/** Payments, in the order they were scheduled; amounts as decimal strings. Read from the balances' fold. */
@Injectable()
export class PaymentQueries {
  private readonly db: BalancesDatabase;

  constructor(@Inject(READ_MODEL_DATABASE) db: ReadModelDatabase) {
    this.db = balancesDatabase(db);
  }

  async getById(id: string): Promise<PaymentView | undefined> {
    return this.db.selectFrom('balancesPayments').select(PAYMENT_VIEW_COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  list(filter: PaymentFilter = {}, page: PageRequest = {}): Promise<Page<PaymentView>> {
    const { programmeId, period, status, batchId, beneficiaryId } = filter;
    return readPage(
      page,
      (after, limit) => {
        let query = this.db.selectFrom('balancesPayments').select(PAYMENT_VIEW_COLUMNS);
        if (programmeId !== undefined) query = query.where('programmeId', '=', programmeId);
        if (period !== undefined) query = query.where('period', '=', period);
        if (status !== undefined) query = query.where('status', '=', status);
        if (batchId !== undefined) query = query.where('batchId', '=', batchId);
        if (beneficiaryId !== undefined) query = query.where('beneficiaryId', '=', beneficiaryId);
        if (after !== undefined) {
          query = query.where((eb) => eb(eb.refTuple('scheduledAt', 'id'), '>', eb.tuple(after[0], after[1])));
        }
        return query.orderBy('scheduledAt').orderBy('id').limit(limit).execute();
      },
      (row) => row.scheduledAt,
      (row) => row,
    );
  }
}
