import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ReadAfterQueryDto, Roles } from '@salur/http';
import { AsOfQuery, asOfOf, type Page, ProjectionStatusService, readAfter } from '@salur/projections';
import { type BudgetAsOf, BudgetAsOfQueries } from '../read-models/budget-as-of.queries';
import { budgetProjection } from '../read-models/budget.projection';
import { BudgetQueries, type BudgetView } from '../read-models/budget.queries';
import { BudgetListQuery, BudgetParams } from './budget.dto';

/** Who reads money figures: the officers who run rounds and pay, inspectors, admins. */
const MONEY_READERS = ['programme-officer', 'finance-officer', 'inspector', 'admin'] as const;

@ApiTags('balances and budgets')
@ApiBearerAuth()
@Controller('budgets')
export class BudgetsController {
  constructor(
    private readonly budgets: BudgetQueries,
    private readonly pastBudgets: BudgetAsOfQueries,
    private readonly readModels: ProjectionStatusService,
  ) {}

  @Get()
  @Roles(...MONEY_READERS)
  async listBudgets(@Query() query: BudgetListQuery): Promise<Page<BudgetView>> {
    await readAfter(this.readModels, query.minPosition, [budgetProjection.name]);
    return this.budgets.list({ fiscalYear: query.fiscalYear }, { limit: query.limit, cursor: query.cursor });
  }

  @Get(':programmeId')
  @Roles(...MONEY_READERS)
  async budget(@Param() { programmeId }: BudgetParams, @Query() query: ReadAfterQueryDto): Promise<BudgetView> {
    await readAfter(this.readModels, query.minPosition, [budgetProjection.name]);
    const budget = await this.budgets.get(programmeId);
    if (budget === undefined) throw programmeNotFound(programmeId);
    return budget;
  }

  /** A programme's budget as it stood at a past instant or position, folded from the log. */
  @Get(':programmeId/as-of')
  @Roles(...MONEY_READERS)
  async budgetAsOf(@Param() { programmeId }: BudgetParams, @Query() query: AsOfQuery): Promise<BudgetAsOf> {
    const budget = await this.pastBudgets.budget(programmeId, asOfOf(query));
    if (budget === undefined) throw programmeNotFound(programmeId);
    return budget;
  }
}

function programmeNotFound(programmeId: string): NotFoundException {
  return new NotFoundException({
    statusCode: 404,
    code: 'PROGRAMME_NOT_FOUND',
    message: `No budget for ${programmeId}`,
  });
}
