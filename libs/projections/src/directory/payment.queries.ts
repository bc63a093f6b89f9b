import { Inject, Injectable } from '@nestjs/common';
import { READ_MODEL_DATABASE, type ReadModelDatabase } from '../engine/read-model-database';
import { type DirectoryDatabase, directoryDatabase, type PaymentRow, type PaymentStatus } from './directory.tables';
import { Page, PageRequest, readPage } from './keyset-page';

export type PaymentView = PaymentRow;

export interface PaymentFilter {
  readonly programmeId?: string;
  readonly period?: string;
  readonly status?: PaymentStatus;
  readonly batchId?: string;
  readonly beneficiaryId?: string;
}

const COLUMNS = [
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
] as const satisfies readonly (keyof PaymentRow)[];

/** Payments, in the order they were scheduled; amounts as decimal strings. */
@Injectable()
export class PaymentQueries {
  private readonly db: DirectoryDatabase;

  constructor(@Inject(READ_MODEL_DATABASE) db: ReadModelDatabase) {
    this.db = directoryDatabase(db);
  }

  async getById(id: string): Promise<PaymentView | undefined> {
    return this.db.selectFrom('directoryPayments').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  list(filter: PaymentFilter = {}, page: PageRequest = {}): Promise<Page<PaymentView>> {
    const { programmeId, period, status, batchId, beneficiaryId } = filter;
    return readPage(
      page,
      (after, limit) => {
        let query = this.db.selectFrom('directoryPayments').select(COLUMNS);
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
