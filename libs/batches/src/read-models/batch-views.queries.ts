import { Inject, Injectable } from '@nestjs/common';
import { Page, PageRequest, readPage } from '@salur/projections';
import { READ_MODEL_DATABASE, type ReadModelDatabase } from '@salur/projections';
import {
  type BatchViewRow,
  type BatchViewsDatabase,
  batchViewsDatabase,
  type BatchViewStatus,
} from './batch-views.tables';

export interface BatchFileView {
  readonly format: string;
  readonly fileName: string;
  readonly sha256: string;
  readonly count: number;
  readonly controlSum: string;
  readonly generatedAt: string;
}

export type BatchDetailView = Omit<BatchViewRow, 'approverIds' | 'files'> & {
  readonly approverIds: string[];
  readonly files: BatchFileView[];
};

export interface BatchViewFilter {
  readonly programmeId?: string;
  readonly period?: string;
  readonly status?: BatchViewStatus;
}

const COLUMNS = [
  'id',
  'programmeId',
  'period',
  'status',
  'makerId',
  'approverIds',
  'requiredApprovals',
  'count',
  'controlSum',
  'contentHash',
  'sent',
  'credited',
  'rejected',
  'returned',
  'reversed',
  'notCredited',
  'pending',
  'outcomeUnknown',
  'exceptions',
  'fileName',
  'fileSha256',
  'fileFormat',
  'fileGeneratedAt',
  'files',
  'createdAt',
  'approvedAt',
  'submittedAt',
  'settledAt',
  'closedAt',
  'expiresAt',
  'updatedAt',
] as const satisfies readonly (keyof BatchViewRow)[];

/** Batch views, oldest first. */
@Injectable()
export class BatchViewQueries {
  private readonly db: BatchViewsDatabase;

  constructor(@Inject(READ_MODEL_DATABASE) db: ReadModelDatabase) {
    this.db = batchViewsDatabase(db);
  }

  async get(batchId: string): Promise<BatchDetailView | undefined> {
    const row = await this.db
      .selectFrom('batchViewsBatches')
      .select(COLUMNS)
      .where('id', '=', batchId)
      .executeTakeFirst();
    return row === undefined ? undefined : toView(row);
  }

  list(filter: BatchViewFilter = {}, page: PageRequest = {}): Promise<Page<BatchDetailView>> {
    const { programmeId, period, status } = filter;
    return readPage(
      page,
      (after, limit) => {
        let query = this.db.selectFrom('batchViewsBatches').select(COLUMNS);
        if (programmeId !== undefined) query = query.where('programmeId', '=', programmeId);
        if (period !== undefined) query = query.where('period', '=', period);
        if (status !== undefined) query = query.where('status', '=', status);
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

function toView(row: BatchViewRow): BatchDetailView {
  return {
    ...row,
    approverIds: JSON.parse(row.approverIds) as string[],
    files: JSON.parse(row.files) as BatchFileView[],
  };
}
