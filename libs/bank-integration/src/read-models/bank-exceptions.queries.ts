import { Inject, Injectable } from '@nestjs/common';
import { openStoredRows, PersonalDataVault } from '@salur/personal-data';
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
  'sealedAccountNumber',
  'bankReference',
  'raisedAt',
  'assigneeId',
  'assignedBy',
  'assignedAt',
  'resolvedBy',
  'resolvedAt',
  'sealedResolution',
  'updatedAt',
] as const satisfies readonly (keyof BankExceptionRow)[];

/**
 * An item with its personal data opened: the account the line named and the operator's reason,
 * in clear or '[erased]'. Not masked yet: the caller masks the account for the viewer.
 */
export type BankExceptionItem = Omit<BankExceptionRow, 'sealedAccountNumber' | 'sealedResolution'> & {
  readonly accountNumber: string | null;
  readonly resolution: string | null;
};

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

  constructor(
    @Inject(READ_MODEL_DATABASE) db: ReadModelDatabase,
    private readonly vault: PersonalDataVault,
  ) {
    this.db = bankExceptionsDatabase(db);
  }

  async get(exceptionId: string): Promise<BankExceptionItem | undefined> {
    const row = await this.db
      .selectFrom('bankExceptionsItems')
      .select(ITEM_COLUMNS)
      .where('id', '=', exceptionId)
      .executeTakeFirst();
    return row === undefined ? undefined : (await this.opened([row]))[0];
  }

  async list(filter: BankExceptionFilter = {}, page: PageRequest = {}): Promise<Page<BankExceptionItem>> {
    const { status, batchId, sha256, reason } = filter;
    const rows = await readPage(
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
    return { nextCursor: rows.nextCursor, items: await this.opened(rows.items) };
  }

  /** A page's account numbers and reasons opened with one key look-up. */
  private async opened(rows: readonly BankExceptionRow[]): Promise<BankExceptionItem[]> {
    const opened = await openStoredRows(this.vault, rows, (row) => [row.sealedAccountNumber, row.sealedResolution]);
    return rows.map(({ sealedAccountNumber: _account, sealedResolution: _resolution, ...row }, index) => {
      const [accountNumber, resolution] = opened[index];
      return { ...row, accountNumber, resolution };
    });
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
