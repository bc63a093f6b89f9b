import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { amountOf } from '@salur/kernel';
import { Metrics } from '@salur/observability';
import { READ_MODEL_DATABASE, type ReadModelDatabase } from '@salur/projections';
import { type BudgetDatabase, budgetDatabase } from './budget.tables';

/**
 * Each programme's ceiling, what is committed (reserved or paid: ceiling minus remaining) and the
 * share used. The sums are decimal; only the exposition turns them into Prometheus's floats.
 */
@Injectable()
export class BudgetGauges implements OnModuleInit {
  private readonly db: BudgetDatabase;

  constructor(
    @Inject(READ_MODEL_DATABASE) db: ReadModelDatabase,
    @Optional() private readonly metrics?: Metrics,
  ) {
    this.db = budgetDatabase(db);
  }

  onModuleInit(): void {
    this.metrics?.readGauges('budgets', ['budgetCeiling', 'budgetCommitted', 'budgetUsed'], async (gauges) => {
      const budgets = await this.db
        .selectFrom('budgetProgrammes')
        .select(['code', 'fiscalYear', 'ceiling', 'remaining'])
        .execute();
      for (const budget of budgets) {
        const labels = { programme: budget.code, fiscal_year: String(budget.fiscalYear) };
        const ceiling = amountOf(budget.ceiling);
        const committed = ceiling.minus(amountOf(budget.remaining));
        gauges.set('budgetCeiling', labels, ceiling.toNumber());
        gauges.set('budgetCommitted', labels, committed.toNumber());
        gauges.set('budgetUsed', labels, ceiling.isZero() ? 0 : committed.dividedBy(ceiling).toNumber());
      }
    });
  }
}
