import { Inject, Injectable } from '@nestjs/common';
import { READ_MODEL_DATABASE, type ReadModelDatabase } from '@salur/projections';
import { type ProgrammesDatabase, programmesDatabase, type ProgrammeRow } from './programmes.tables';
import { Page, PageRequest, readPage } from '@salur/projections';

export type ProgrammeView = ProgrammeRow;

export interface ProgrammeFilter {
  readonly fiscalYear?: number;
}

const COLUMNS = [
  'id',
  'code',
  'name',
  'fiscalYear',
  'currency',
  'budgetCeiling',
  'benefitAmount',
  'reserved',
  'released',
  'createdAt',
  'updatedAt',
] as const satisfies readonly (keyof ProgrammeRow)[];

/** Programmes, oldest first; money as decimal strings. */
@Injectable()
export class ProgrammeQueries {
  private readonly db: ProgrammesDatabase;

  constructor(@Inject(READ_MODEL_DATABASE) db: ReadModelDatabase) {
    this.db = programmesDatabase(db);
  }

  async getById(id: string): Promise<ProgrammeView | undefined> {
    return this.db.selectFrom('programmes').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  list(filter: ProgrammeFilter = {}, page: PageRequest = {}): Promise<Page<ProgrammeView>> {
    return readPage(
      page,
      (after, limit) => {
        let query = this.db.selectFrom('programmes').select(COLUMNS);
        if (filter.fiscalYear !== undefined) query = query.where('fiscalYear', '=', filter.fiscalYear);
        if (after !== undefined) {
          query = query.where((eb) => eb(eb.refTuple('createdAt', 'id'), '>', eb.tuple(after[0], after[1])));
        }
        return query.orderBy('createdAt').orderBy('id').limit(limit).execute();
      },
      (row) => row.createdAt,
      (row) => row,
    );
  }
}
