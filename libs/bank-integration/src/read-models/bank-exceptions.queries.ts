import { Inject, Injectable } from '@nestjs/common';
import { type Page, type PageRequest, READ_MODEL_DATABASE, type ReadModelDatabase, readPage } from '@salur/projections';
import type { BankExceptionReason, BankExceptionStatus } from '../domain';
import {
  type BankExceptionCountKind,
  type BankExceptionCountRow,
  type BankExceptionRow,
  type BankExceptionsDatabase,
  bankExceptionsDatabase,
  countRowIdOf,
} from './bank-exceptions.tables';

export interface BankExceptionFilter {
  readonly status?: BankExceptionStatus;
  readonly batchId?: string;
  readonly sha256?: string;
  readonly reason?: BankExceptionReason;
}

const ITEM_COLUMNS = [
  'id',
  'queueOrder',
  'reason',
  'status',
  'sha256',
  'line',
  'paymentId',
  'batchId',
  'endToEndId',
  'outcome',
  'detail',
  'amount',
  'accountNumber',
  'bankReference',
  'raisedAt',
  'assigneeId',
  'assignedBy',
  'assignedAt',
  'resolvedBy',
  'resolvedAt',
  'resolution',
  'updatedAt',
] as const satisfies readonly (keyof BankExceptionRow)[];

const COUNT_COLUMNS = [
  'id',
  'kind',
  'key',
  'total',
  'open',
  'assigned',
  'resolved',
  'shortCredits',
] as const satisfies readonly (keyof BankExceptionCountRow)[];

/** The exception queue in the order its items were raised, and its counts per batch and per file. */
@Injectable()
export class BankExceptionQueries {
  private readonly db: BankExceptionsDatabase;

  constructor(@Inject(READ_MODEL_DATABASE) db: ReadModelDatabase) {
    this.db = bankExceptionsDatabase(db);
  }

  get(exceptionId: string): Promise<BankExceptionRow | undefined> {
    return this.db
      .selectFrom('bankExceptionsItems')
      .select(ITEM_COLUMNS)
      .where('id', '=', exceptionId)
      .executeTakeFirst();
  }

  list(filter: BankExceptionFilter = {}, page: PageRequest = {}): Promise<Page<BankExceptionRow>> {
    const { status, batchId, sha256, reason } = filter;
    return readPage(
      page,
      (after, limit) => {
        let query = this.db.selectFrom('bankExceptionsItems').select(ITEM_COLUMNS);
        if (status !== undefined) query = query.where('status', '=', status);
        if (batchId !== undefined) query = query.where('batchId', '=', batchId);
        if (sha256 !== undefined) query = query.where('sha256', '=', sha256);
        if (reason !== undefined) query = query.where('reason', '=', reason);
        if (after !== undefined) {
          query = query.where((eb) => eb(eb.refTuple('queueOrder', 'id'), '>', eb.tuple(after[0], after[1])));
        }
        return query.orderBy('queueOrder').orderBy('id').limit(limit).execute();
      },
      (row) => row.queueOrder,
      (row) => row,
    );
  }

  /** The counts of these batches and files (bounded by the caller: a page's worth). */
  async countsOf(batchIds: Iterable<string>, sha256s: Iterable<string>): Promise<BankExceptionCountRow[]> {
    const ids = [
      ...new Set([
        ...[...batchIds].map((batchId) => countRowIdOf('batch', batchId)),
        ...[...sha256s].map((sha256) => countRowIdOf('file', sha256)),
      ]),
    ];
    if (ids.length === 0) return [];
    return this.db
      .selectFrom('bankExceptionsCounts')
      .select(COUNT_COLUMNS)
      .where('id', 'in', ids)
      .orderBy('id')
      .execute();
  }

  /** Every batch's (or file's) counts, a page at a time. */
  listCounts(kind: BankExceptionCountKind, page: PageRequest = {}): Promise<Page<BankExceptionCountRow>> {
    return readPage(
      page,
      (after, limit) => {
        let query = this.db.selectFrom('bankExceptionsCounts').select(COUNT_COLUMNS).where('kind', '=', kind);
        if (after !== undefined) query = query.where('id', '>', after[1]);
        return query.orderBy('id').limit(limit).execute();
      },
      (row) => row.kind,
      (row) => row,
    );
  }
}
