import { BudgetGauges } from './read-models/budget-gauges';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PROGRAMME_HANDLERS } from './application/programme.handlers';
import { BudgetsController } from './http/budgets.controller';
import { ProgrammesController } from './http/programmes.controller';
import { BudgetAsOfQueries } from './read-models/budget-as-of.queries';
import { budgetProjection } from './read-models/budget.projection';
import { BudgetQueries } from './read-models/budget.queries';
import { ProgrammeQueries } from './read-models/programme.queries';
import { programmesProjection } from './read-models/programmes.projection';

/** Programmes and their budgets over HTTP. Needs EVENT_STORE and the read models (ProjectionsModule). */
@Module({
  imports: [CqrsModule],
  controllers: [ProgrammesController, BudgetsController],
  providers: [...PROGRAMME_HANDLERS, ProgrammeQueries, BudgetQueries, BudgetAsOfQueries, BudgetGauges],
})
export class ProgrammesModule {}

/** What the programmes capability gives the apps to run (the lists: libs/ledger). */
export const PROGRAMME_PROJECTIONS = [programmesProjection, budgetProjection];
