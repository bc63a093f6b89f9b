import { Inject, Injectable } from '@nestjs/common';
import { READ_MODEL_DATABASE, type ReadModelDatabase } from '../engine/read-model-database';
import { approverIdsOf } from './batches.read-model';
import { type BatchRow, type BatchStatus, type DirectoryDatabase, directoryDatabase } from './directory.tables';
import { Page, PageRequest, readPage } from './keyset-page';

export type BatchView = Omit<BatchRow, 'approverIds'> & { readonly approverIds: string[] };

export interface BatchFilter {
  readonly programmeId?: string;
  readonly period?: string;
  readonly status?: BatchStatus;
  readonly makerId?: string;
}

const COLUMNS = [
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
] as const satisfies readonly (keyof BatchRow)[];

/** Batches, oldest first; the control sum as a decimal string. */
@Injectable()
export class BatchQueries {
  private readonly db: DirectoryDatabase;

  constructor(@Inject(READ_MODEL_DATABASE) db: ReadModelDatabase) {
    this.db = directoryDatabase(db);
  }

  async getById(id: string): Promise<BatchView | undefined> {
    const row = await this.db.selectFrom('directoryBatches').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toView(row);
  }

  list(filter: BatchFilter = {}, page: PageRequest = {}): Promise<Page<BatchView>> {
    const { programmeId, period, status, makerId } = filter;
    return readPage(
      page,
      (after, limit) => {
        let query = this.db.selectFrom('directoryBatches').select(COLUMNS);
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

function toView(row: BatchRow): BatchView {
  return { ...row, approverIds: approverIdsOf(row) };
}
