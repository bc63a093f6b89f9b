import { Inject, Injectable } from '@nestjs/common';
import { Page, PageRequest, READ_MODEL_DATABASE, type ReadModelDatabase, readPage } from '@salur/projections';
import {
  type BatchViewRow,
  type BatchViewsDatabase,
  batchViewsDatabase,
  type BatchViewStatus,
} from './batch-views.tables';

/** What the batch list shows of each batch view's row (GET /batches; the whole view: /batch-views). */
export const BATCH_LIST_COLUMNS = [
  'id',
  'programmeId',
  'period',
  'makerId',
  'status',
  'count',
  'controlSum',
  'contentHash',
  'requiredApprovals',
  'approverIds',
  'expiresAt',
  'createdAt',
  'updatedAt',
] as const satisfies readonly (keyof BatchViewRow)[];

type BatchListRow = Pick<BatchViewRow, (typeof BATCH_LIST_COLUMNS)[number]>;
export type BatchView = Omit<BatchListRow, 'approverIds'> & { readonly approverIds: string[] };

export interface BatchFilter {
  readonly programmeId?: string;
  readonly period?: string;
  readonly status?: BatchViewStatus;
  readonly makerId?: string;
}

/** Batches, oldest first; the control sum as a decimal string. One fold with the batch views. */
@Injectable()
export class BatchQueries {
  private readonly db: BatchViewsDatabase;

  constructor(@Inject(READ_MODEL_DATABASE) db: ReadModelDatabase) {
    this.db = batchViewsDatabase(db);
  }

  async getById(id: string): Promise<BatchView | undefined> {
    const row = await this.db
      .selectFrom('batchViewsBatches')
      .select(BATCH_LIST_COLUMNS)
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toView(row);
  }

  list(filter: BatchFilter = {}, page: PageRequest = {}): Promise<Page<BatchView>> {
    const { programmeId, period, status, makerId } = filter;
    return readPage(
      page,
      (after, limit) => {
        let query = this.db.selectFrom('batchViewsBatches').select(BATCH_LIST_COLUMNS);
        if (programmeId !== undefined) query = query.where('programmeId', '=', programmeId);
        if (period !== undefined) query = query.where('period', '=', period);
        if (status !== undefined) query = query.where('status', '=', status);
        if (makerId !== undefined) query = query.where('makerId', '=', makerId);
        if (after !== undefined) {
          query = query.where((eb) => eb(eb.refTuple('createdAt', 'id'), '>', eb.tuple(after[0], after[1])));
        }
        return query.orderBy('createdAt').orderBy('id').limit(limit).execute();
      },
      (row) => row.createdAt,
      toView,
    );
  }
}

function toView(row: BatchListRow): BatchView {
  return { ...row, approverIds: JSON.parse(row.approverIds) as string[] };
}
