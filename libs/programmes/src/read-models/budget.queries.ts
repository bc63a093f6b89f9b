import { Inject, Injectable } from '@nestjs/common';
import { Page, PageRequest, readPage } from '@salur/projections';
import { READ_MODEL_DATABASE, type ReadModelDatabase } from '@salur/projections';
import { type BudgetDatabase, budgetDatabase, type BudgetRow } from './budget.tables';

export type BudgetView = BudgetRow;

const COLUMNS = [
  'id',
  'code',
  'fiscalYear',
  'ceiling',
  'reserved',
  'released',
  'credited',
  'remaining',
  'updatedAt',
] as const satisfies readonly (keyof BudgetRow)[];

/** Programme budgets, by programme id; money as decimal strings. */
@Injectable()
export class BudgetQueries {
  private readonly db: BudgetDatabase;

  constructor(@Inject(READ_MODEL_DATABASE) db: ReadModelDatabase) {
    this.db = budgetDatabase(db);
  }

  get(programmeId: string): Promise<BudgetView | undefined> {
    return this.db.selectFrom('budgetProgrammes').select(COLUMNS).where('id', '=', programmeId).executeTakeFirst();
  }

  list(filter: { readonly fiscalYear?: number } = {}, page: PageRequest = {}): Promise<Page<BudgetView>> {
    return readPage(
      page,
      (after, limit) => {
        let query = this.db.selectFrom('budgetProgrammes').select(COLUMNS);
        if (filter.fiscalYear !== undefined) query = query.where('fiscalYear', '=', filter.fiscalYear);
        if (after !== undefined) query = query.where('id', '>', after[1]);
        return query.orderBy('id').limit(limit).execute();
      },
      (row) => row.id,
      (row) => row,
    );
  }
}
