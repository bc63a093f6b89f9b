import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandReceipt, ledgerContextOfRequest } from '@salur/application';
import { CurrentContext, RequestContext, Roles } from '@salur/http';
import { Page, ProjectionStatusService, readAfter } from '@salur/projections';
import { ProgrammeQueries, type ProgrammeView as ProgrammeRow } from '../read-models/programme.queries';
import { programmesProjection } from '../read-models/programmes.projection';
import {
  CreateProgrammeCommand,
  DeclareApprovalPolicyCommand,
  DeclareProgrammeScheduleCommand,
  GetProgrammeQuery,
  ProgrammeView,
  RaiseBudgetCeilingCommand,
} from '../application/programme.messages';
import {
  CreateProgrammeDto,
  ProgrammeListQuery,
  ProgrammeParams,
  ApprovalPolicyDto,
  ProgrammeScheduleDto,
  RaiseBudgetCeilingDto,
} from './programme.dto';

@ApiTags('programmes')
@ApiBearerAuth()
@Controller('programmes')
export class ProgrammesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly programmes: ProgrammeQueries,
    private readonly readModels: ProjectionStatusService,
  ) {}

  @Post()
  @Roles('programme-officer')
  create(@Body() body: CreateProgrammeDto, @CurrentContext() context: RequestContext): Promise<CommandReceipt> {
    return this.commands.execute(new CreateProgrammeCommand(body, ledgerContextOfRequest(context)));
  }

  /** For a programme created before schedules were declared: declares its schedule, once. */
  @Post(':programmeId/schedule')
  @HttpCode(200)
  @Roles('programme-officer')
  declareSchedule(
    @Param() { programmeId }: ProgrammeParams,
    @Body() body: ProgrammeScheduleDto,
    @CurrentContext() context: RequestContext,
  ): Promise<CommandReceipt> {
    return this.commands.execute(
      new DeclareProgrammeScheduleCommand(programmeId, body, ledgerContextOfRequest(context)),
    );
  }

  /** A new approval policy: batches started from now on follow it; earlier ones keep theirs. */
  @Post(':programmeId/approval-policy')
  @HttpCode(200)
  @Roles('programme-officer')
  declareApprovalPolicy(
    @Param() { programmeId }: ProgrammeParams,
    @Body() body: ApprovalPolicyDto,
    @CurrentContext() context: RequestContext,
  ): Promise<CommandReceipt> {
    return this.commands.execute(new DeclareApprovalPolicyCommand(programmeId, body, ledgerContextOfRequest(context)));
  }

  @Post(':programmeId/budget-ceiling')
  @HttpCode(200)
  @Roles('programme-officer')
  raiseCeiling(
    @Param() { programmeId }: ProgrammeParams,
    @Body() body: RaiseBudgetCeilingDto,
    @CurrentContext() context: RequestContext,
  ): Promise<CommandReceipt> {
    return this.commands.execute(new RaiseBudgetCeilingCommand(programmeId, body, ledgerContextOfRequest(context)));
  }

  @Get()
  @Roles('programme-officer', 'enrolment-officer', 'finance-officer', 'inspector', 'admin')
  async list(@Query() query: ProgrammeListQuery): Promise<Page<ProgrammeRow>> {
    await readAfter(this.readModels, query.minPosition, [programmesProjection.name]);
    return this.programmes.list({ fiscalYear: query.fiscalYear }, { limit: query.limit, cursor: query.cursor });
  }

  @Get(':programmeId')
  @Roles('programme-officer', 'enrolment-officer', 'finance-officer', 'inspector', 'admin')
  get(@Param() { programmeId }: ProgrammeParams): Promise<ProgrammeView> {
    return this.queries.execute(new GetProgrammeQuery(programmeId));
  }
}
