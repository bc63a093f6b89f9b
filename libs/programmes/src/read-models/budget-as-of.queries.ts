import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@salur/event-store';
import { ruleBroken } from '@salur/kernel';
import {
  type AsOf,
  foldStreamInMemory,
  logUntil,
  NO_POSITION,
  ProjectionStatusService,
  READ_MODEL_DATABASE,
  type ReadModelDatabase,
  readAfter,
  resolveAsOf,
  type ResolvedAsOf,
  type StoredRow,
} from '@salur/projections';
import { budgetProjection } from './budget.projection';
import { budgetDatabase, BUDGET_TABLES, type BudgetRow } from './budget.tables';

export type BudgetAsOf = BudgetRow & { readonly asOf: ResolvedAsOf };

/** A budget as of a point past this many events is not computed (it streams the log up to it). */
export const MAX_BUDGET_AS_OF_EVENTS = 5_000_000;
/** Events folded per step of a streaming fold. */
const AS_OF_STEP_EVENTS = 1_000;

/**
 * A programme's budget as it stood at a past position or instant, computed from the log with the
 * budget's own pure read models, never from the table's current figures. It streams the whole
 * log up to the point, 1,000 events at a time. The payment → programme lookup is read from the
 * current budget_payments table (facts never change); only the budget rows are kept in memory.
 */
@Injectable()
export class BudgetAsOfQueries {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    private readonly status: ProjectionStatusService,
  ) {}

  /** undefined when the programme did not exist yet at that point. */
  async budget(programmeId: string, asOf: AsOf): Promise<BudgetAsOf | undefined> {
    const resolved = await resolveAsOf(this.store, asOf);
    await readAfter(this.status, resolved.position, [budgetProjection.name]);
    if (resolved.position === NO_POSITION) return undefined;
    if (resolved.position > MAX_BUDGET_AS_OF_EVENTS) {
      throw ruleBroken(
        'AS_OF_TOO_LARGE',
        `A budget as of a point past ${MAX_BUDGET_AS_OF_EVENTS} events is not computed`,
      );
    }
    const budgets = budgetDatabase(this.db);
    const tables = await foldStreamInMemory(budgetProjection, logUntil(this.store, resolved.position), {
      batchSize: AS_OF_STEP_EVENTS,
      factTables: new Map([
        [
          BUDGET_TABLES.payments,
          async (ids: readonly string[]) => {
            const rows = await budgets.selectFrom('budgetPayments').selectAll().where('id', 'in', ids).execute();
            return new Map(
              rows.map(({ lastPosition, ...row }): [string, StoredRow] => [
                row.id,
                { row, lastPosition: Number(lastPosition) },
              ]),
            );
          },
        ],
      ]),
      keep: (table, stored) => table !== BUDGET_TABLES.programmes || stored.row.id === programmeId,
    });
    const row = tables.get(BUDGET_TABLES.programmes)?.get(programmeId)?.row as BudgetRow | undefined;
    return row === undefined ? undefined : { ...row, asOf: resolved };
  }
}
