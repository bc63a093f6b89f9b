import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ledgerContextOfRequest } from '@salur/application';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { CurrentContext, ReadAfterQueryDto, RequestContext, Roles } from '@salur/http';
import { notFound } from '@salur/kernel';
import { programmeStreamName } from '@salur/programmes/domain';
import { type Page, ProjectionStatusService, readAfter } from '@salur/projections';
import {
  BANK_QUEUES,
  BankJobs,
  buildBatchesJobId,
  originOf,
  QueueAvailableGuard,
  requireRecorded,
  type RunView,
} from '@salur/queue';
import { OpenRoundCommand } from '../application/payment.messages';
import { PaymentReissue, type ReissueResult } from '../application/payment-reissue';
import { roundProgressProjection } from '../read-models/round-progress.projection';
import { RoundProgressQueries, type RoundView } from '../read-models/round-progress.queries';
import { OpenRoundDto, RoundListQuery, RoundParams } from './round.dto';

/** A round is a programme period: its payments are scheduled, batched, reissued and followed here. */
@ApiTags('rounds')
@ApiBearerAuth()
@Controller('rounds')
export class RoundsController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly jobs: BankJobs,
    private readonly reissue: PaymentReissue,
    private readonly rounds: RoundProgressQueries,
    private readonly readModels: ProjectionStatusService,
  ) {}

  /**
   * Opens a round: a job schedules one payment per active beneficiary not yet scheduled for the
   * period. Asked again once that run started or finished (late enrolments), it opens a
   * supplementary run; asked while a run waits to start, it answers with that run. The answer is
   * the job with its `run` number (1: the first).
   */
  @Post()
  @HttpCode(202)
  @Roles('programme-officer')
  @UseGuards(QueueAvailableGuard)
  open(@Body() body: OpenRoundDto, @CurrentContext() context: RequestContext): Promise<RunView> {
    return this.commands.execute(new OpenRoundCommand(body.programmeId, body.period, originOf(context)));
  }

  /**
   * Groups the round's unbatched payments into batches; the caller is their maker. The job is
   * the batches capability's (BuildBatchesProcessor); the route is the round's. 404 for an unknown
   * programme.
   */
  @Post(':programmeId/:period/batches')
  @HttpCode(202)
  @Roles('finance-officer')
  @UseGuards(QueueAvailableGuard)
  async buildBatches(@Param() { programmeId, period }: RoundParams, @CurrentContext() context: RequestContext) {
    await requireRecorded(this.store, programmeStreamName(programmeId), () =>
      notFound('PROGRAMME_NOT_FOUND', `No programme ${programmeId}`),
    );
    const jobId = buildBatchesJobId(programmeId, period, context.requestId);
    return this.jobs.start(BANK_QUEUES.buildBatches, jobId, { programmeId, period, origin: originOf(context) });
  }

  /** Puts the round's rejected and returned payments whose account was fixed back in the pool. */
  @Post(':programmeId/:period/reissues')
  @HttpCode(200)
  @Roles('finance-officer')
  reissueRound(
    @Param() { programmeId, period }: RoundParams,
    @CurrentContext() context: RequestContext,
  ): Promise<ReissueResult> {
    return this.reissue.reissueRound({ programmeId, period }, ledgerContextOfRequest(context));
  }

  @Get()
  @Roles('programme-officer', 'finance-officer', 'inspector', 'admin')
  async list(@Query() query: RoundListQuery): Promise<Page<RoundView>> {
    await readAfter(this.readModels, query.minPosition, [roundProgressProjection.name]);
    return this.rounds.list({ programmeId: query.programmeId }, { limit: query.limit, cursor: query.cursor });
  }

  /** Where the payments of one programme period stand, counted by stage. */
  @Get(':programmeId/:period')
  @Roles('programme-officer', 'finance-officer', 'inspector', 'admin')
  async get(@Param() { programmeId, period }: RoundParams, @Query() query: ReadAfterQueryDto): Promise<RoundView> {
    await readAfter(this.readModels, query.minPosition, [roundProgressProjection.name]);
    const round = await this.rounds.get(programmeId, period);
    if (round === undefined) {
      throw new NotFoundException({
        statusCode: 404,
        code: 'ROUND_NOT_FOUND',
        message: `No payments for ${programmeId} ${period}`,
      });
    }
    return round;
  }
}
