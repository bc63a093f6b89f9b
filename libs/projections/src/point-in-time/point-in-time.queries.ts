import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type GlobalPosition, type RecordedEvent } from '@salur/event-store';
import { ruleBroken } from '@salur/kernel';
import { paymentStreamName } from '@salur/payments/domain';
import { figuresOf } from '../balances/balance-figures';
import { NO_FIGURES } from '../balances/balance-figures';
import { BalanceQueries, type BalancePaymentView, type BalanceView } from '../balances/balance.queries';
import { balancesProjection } from '../balances/balances.projection';
import { balanceIdOf, BALANCES_TABLES, type BalancePaymentRow, type BalanceRow } from '../balances/balances.tables';
import { budgetProjection } from '../budget/budget.projection';
import { budgetDatabase, BUDGET_TABLES, type BudgetRow } from '../budget/budget.tables';
import type { StoredRow } from '../engine/apply-events';
import { projectInMemory } from '../engine/project-in-memory';
import { NO_POSITION } from '../engine/projection';
import { ProjectionStatusService } from '../engine/projection-status.service';
import { READ_MODEL_DATABASE, type ReadModelDatabase } from '../engine/read-model-database';
import { readAfter } from '../read-after';
import { foldStreamInMemory } from './fold-in-memory';
import { positionAt } from './position-at';

/** A point in the log: a global position, or an instant (the last event recorded at or before it). */
export type AsOf = { readonly position: number } | { readonly instant: string };

export interface ResolvedAsOf {
  /** The last event folded; -1 before the first event. */
  readonly position: GlobalPosition;
  readonly instant?: string;
}

export type BalanceAsOf = BalanceView & { readonly asOf: ResolvedAsOf };
export type BudgetAsOf = BudgetRow & { readonly asOf: ResolvedAsOf };

/** Events of one beneficiary's payment streams an as-of read folds at most: years of a real one's history. */
export const MAX_BALANCE_AS_OF_EVENTS = 100_000;
/** Events of the log a budget as-of read folds at most; beyond, the read is refused rather than left running. */
export const MAX_BUDGET_AS_OF_EVENTS = 5_000_000;
/** Events folded per step of a streaming fold. */
const AS_OF_STEP_EVENTS = 1_000;

/**
 * Balances and budgets as they stood at a past position or instant, computed from the log with
 * the projections' own pure read models (the same evolve functions as the tables), never from
 * the tables' current figures.
 *
 * - A balance folds the beneficiary's payment streams up to the point: few events. Which payments
 *   are theirs comes from the balances table (a payment's beneficiary never changes), so the
 *   projection must have reached the point first (readAfter).
 * - A budget streams the whole log up to the point, one step of 1,000 events at a time. The
 *   payment → programme lookup is read from the current budget_payments table (facts never
 *   change); only the budget rows are kept in memory.
 */
@Injectable()
export class PointInTimeQueries {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    private readonly status: ProjectionStatusService,
    private readonly balances: BalanceQueries,
  ) {}

  async resolve(asOf: AsOf): Promise<ResolvedAsOf> {
    const head = (await this.store.headPosition()) ?? NO_POSITION;
    if ('position' in asOf) return { position: Math.min(asOf.position, head) };
    return { position: (await positionAt(this.store, asOf.instant)) ?? NO_POSITION, instant: asOf.instant };
  }

  async balance(programmeId: string, beneficiaryId: string, asOf: AsOf): Promise<BalanceAsOf> {
    const resolved = await this.resolve(asOf);
    await readAfter(this.status, resolved.position, [balancesProjection.name]);
    const paymentIds = await this.balances.paymentIds(programmeId, beneficiaryId);
    const events: RecordedEvent[] = [];
    for (const paymentId of paymentIds) {
      for await (const event of this.store.readStream(paymentStreamName(paymentId))) {
        if (event.position > resolved.position) break;
        events.push(event);
        if (events.length > MAX_BALANCE_AS_OF_EVENTS) {
          throw ruleBroken('AS_OF_TOO_LARGE', `More than ${MAX_BALANCE_AS_OF_EVENTS} events to fold`);
        }
      }
    }
    events.sort((left, right) => left.position - right.position);
    const tables = projectInMemory(balancesProjection, events);
    const id = balanceIdOf(programmeId, beneficiaryId);
    const stored = tables.get(BALANCES_TABLES.beneficiaries)?.get(id);
    const row: BalanceRow = (stored?.row as BalanceRow | undefined) ?? {
      id,
      programmeId,
      beneficiaryId,
      payments: 0,
      ...NO_FIGURES,
      updatedAt: '',
    };
    const paymentList: BalancePaymentView[] = [...(tables.get(BALANCES_TABLES.payments)?.values() ?? [])]
      .map((payment) => payment.row as BalancePaymentRow)
      .sort((left, right) =>
        left.period === right.period ? compare(left.id, right.id) : compare(left.period, right.period),
      )
      .map((payment) => ({ ...payment, figures: figuresOf(payment) }));
    return { ...row, paymentList, asOf: resolved };
  }

  /** undefined when the programme did not exist yet at that point. */
  async budget(programmeId: string, asOf: AsOf): Promise<BudgetAsOf | undefined> {
    const resolved = await this.resolve(asOf);
    await readAfter(this.status, resolved.position, [budgetProjection.name]);
    if (resolved.position === NO_POSITION) return undefined;
    if (resolved.position > MAX_BUDGET_AS_OF_EVENTS) {
      throw ruleBroken(
        'AS_OF_TOO_LARGE',
        `A budget as of a point past ${MAX_BUDGET_AS_OF_EVENTS} events is not computed`,
      );
    }
    const budgets = budgetDatabase(this.db);
    const tables = await foldStreamInMemory(budgetProjection, this.logUntil(resolved.position), {
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

  private async *logUntil(position: GlobalPosition): AsyncGenerator<RecordedEvent> {
    for await (const event of this.store.readAll()) {
      if (event.position > position) return;
      yield event;
    }
  }
}

function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
