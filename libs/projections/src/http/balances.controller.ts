import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ReadAfterQueryDto, Roles } from '@salur/http';
import { invalid } from '@salur/kernel';
import { BalanceQueries, type BalanceView } from '../balances/balance.queries';
import { balancesProjection } from '../balances/balances.projection';
import { BudgetQueries, type BudgetView } from '../budget/budget.queries';
import { budgetProjection } from '../budget/budget.projection';
import type { Page } from '../directory/keyset-page';
import { ProjectionStatusService } from '../engine/projection-status.service';
import {
  type AsOf,
  type BalanceAsOf,
  type BudgetAsOf,
  PointInTimeQueries,
} from '../point-in-time/point-in-time.queries';
import { readAfter } from '../read-after';
import { AsOfQuery, BalanceAsOfQuery, BalanceListQuery, BudgetListQuery, ProgrammeParams } from './read-models.dto';

/** Who reads money figures: the officers who run rounds and pay, inspectors, admins. */
const MONEY_READERS = ['programme-officer', 'finance-officer', 'inspector', 'admin'] as const;

@ApiTags('balances and budgets')
@ApiBearerAuth()
@Controller()
export class BalancesController {
  constructor(
    private readonly balances: BalanceQueries,
    private readonly budgets: BudgetQueries,
    private readonly pointInTime: PointInTimeQueries,
    private readonly readModels: ProjectionStatusService,
  ) {}

  /** Balances per beneficiary and programme, each with the payments behind its figures. */
  @Get('balances')
  @Roles(...MONEY_READERS)
  async listBalances(@Query() query: BalanceListQuery): Promise<Page<BalanceView>> {
    await readAfter(this.readModels, query.minPosition, [balancesProjection.name]);
    const { programmeId, beneficiaryId, limit, cursor } = query;
    return this.balances.list({ programmeId, beneficiaryId }, { limit, cursor });
  }

  /** One balance as it stood at a past instant or position, folded from the log. */
  @Get('balances/as-of')
  @Roles(...MONEY_READERS)
  balanceAsOf(@Query() query: BalanceAsOfQuery): Promise<BalanceAsOf> {
    return this.pointInTime.balance(query.programmeId, query.beneficiaryId, asOfOf(query));
  }

  @Get('budgets')
  @Roles(...MONEY_READERS)
  async listBudgets(@Query() query: BudgetListQuery): Promise<Page<BudgetView>> {
    await readAfter(this.readModels, query.minPosition, [budgetProjection.name]);
    return this.budgets.list({ fiscalYear: query.fiscalYear }, { limit: query.limit, cursor: query.cursor });
  }

  @Get('budgets/:programmeId')
  @Roles(...MONEY_READERS)
  async budget(@Param() { programmeId }: ProgrammeParams, @Query() query: ReadAfterQueryDto): Promise<BudgetView> {
    await readAfter(this.readModels, query.minPosition, [budgetProjection.name]);
    const budget = await this.budgets.get(programmeId);
    if (budget === undefined) throw programmeNotFound(programmeId);
    return budget;
  }

  /** A programme's budget as it stood at a past instant or position, folded from the log. */
  @Get('budgets/:programmeId/as-of')
  @Roles(...MONEY_READERS)
  async budgetAsOf(@Param() { programmeId }: ProgrammeParams, @Query() query: AsOfQuery): Promise<BudgetAsOf> {
    const budget = await this.pointInTime.budget(programmeId, asOfOf(query));
    if (budget === undefined) throw programmeNotFound(programmeId);
    return budget;
  }
}

function asOfOf(query: AsOfQuery): AsOf {
  if ((query.at === undefined) === (query.position === undefined)) {
    throw invalid('AS_OF_REQUIRED', 'Give exactly one of at (an instant) and position', 'at');
  }
  if (query.at === undefined) return { position: query.position as number };
  const instant = Date.parse(query.at);
  if (Number.isNaN(instant)) throw invalid('INVALID_INSTANT', 'at must be an ISO-8601 date or instant', 'at');
  return { instant: new Date(instant).toISOString() };
}

function programmeNotFound(programmeId: string): NotFoundException {
  return new NotFoundException({
    statusCode: 404,
    code: 'PROGRAMME_NOT_FOUND',
    message: `No budget for ${programmeId}`,
  });
}
