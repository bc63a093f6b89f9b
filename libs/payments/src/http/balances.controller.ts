import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@salur/http';
import { asOfOf, type Page, ProjectionStatusService, readAfter } from '@salur/projections';
import { type BalanceAsOf, BalanceAsOfQueries } from '../read-models/balance-as-of.queries';
import { BalanceQueries, type BalanceView } from '../read-models/balance.queries';
import { balancesProjection } from '../read-models/balances.projection';
import { BalanceAsOfQuery, BalanceListQuery } from './balance.dto';

/** Who reads money figures: the officers who run rounds and pay, inspectors, admins. */
const MONEY_READERS = ['programme-officer', 'finance-officer', 'inspector', 'admin'] as const;

@ApiTags('balances and budgets')
@ApiBearerAuth()
@Controller('balances')
export class BalancesController {
  constructor(
    private readonly balances: BalanceQueries,
    private readonly pastBalances: BalanceAsOfQueries,
    private readonly readModels: ProjectionStatusService,
  ) {}

  /** Balances per beneficiary and programme, each with the payments behind its figures. */
  @Get()
  @Roles(...MONEY_READERS)
  async listBalances(@Query() query: BalanceListQuery): Promise<Page<BalanceView>> {
    await readAfter(this.readModels, query.minPosition, [balancesProjection.name]);
    const { programmeId, beneficiaryId, limit, cursor } = query;
    return this.balances.list({ programmeId, beneficiaryId }, { limit, cursor });
  }

  /** One balance as it stood at a past instant or position, folded from the log. */
  @Get('as-of')
  @Roles(...MONEY_READERS)
  balanceAsOf(@Query() query: BalanceAsOfQuery): Promise<BalanceAsOf> {
    return this.pastBalances.balance(query.programmeId, query.beneficiaryId, asOfOf(query));
  }
}
