import { Inject, Injectable } from '@nestjs/common';
import { Page, PageRequest, readPage } from '@salur/projections';
import { READ_MODEL_DATABASE, type ReadModelDatabase } from '@salur/projections';
import { roundIdOf, type RoundProgressDatabase, roundProgressDatabase, type RoundRow } from './round-progress.tables';

export type RoundView = RoundRow;

const COLUMNS = [
  'id',
  'programmeId',
  'period',
  'payments',
  'scheduled',
  'batched',
  'approved',
  'sent',
  'outcomeUnknown',
  'credited',
  'rejected',
  'returned',
  'notCredited',
  'reissued',
  'reversed',
  'updatedAt',
] as const satisfies readonly (keyof RoundRow)[];

/** Round progress per programme period, ordered by programme and period. */
@Injectable()
export class RoundProgressQueries {
  private readonly db: RoundProgressDatabase;

  constructor(@Inject(READ_MODEL_DATABASE) db: ReadModelDatabase) {
    this.db = roundProgressDatabase(db);
  }

  get(programmeId: string, period: string): Promise<RoundView | undefined> {
    return this.db
      .selectFrom('roundProgressRounds')
      .select(COLUMNS)
      .where('id', '=', roundIdOf(programmeId, period))
      .executeTakeFirst();
  }

  list(filter: { readonly programmeId?: string } = {}, page: PageRequest = {}): Promise<Page<RoundView>> {
    return readPage(
      page,
      (after, limit) => {
        let query = this.db.selectFrom('roundProgressRounds').select(COLUMNS);
        if (filter.programmeId !== undefined) query = query.where('programmeId', '=', filter.programmeId);
        if (after !== undefined) query = query.where('id', '>', after[1]);
        return query.orderBy('id').limit(limit).execute();
      },
      (row) => row.id,
      (row) => row,
    );
  }
}
