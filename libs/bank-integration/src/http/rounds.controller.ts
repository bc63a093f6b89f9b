import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ledgerContextOfRequest } from '@salur/application';
import { CurrentContext, RequestContext, Roles } from '@salur/http';
import { QueueAvailableGuard } from '@salur/queue';
import { PaymentReissue, ReissueResult } from '../application/payment-reissue';
import { BANK_QUEUES, buildBatchesJobId, openRoundJobId } from '../domain';
import { BankJobs, JobView } from '../jobs/bank-jobs';
import { OpenRoundJobData } from '../jobs/job-data';
import { OpenRoundDto, RoundParams } from './bank-integration.dto';
import { originOf } from './origin';

@ApiTags('rounds')
@ApiBearerAuth()
@Controller('rounds')
export class RoundsController {
  constructor(
    private readonly jobs: BankJobs,
    private readonly reissue: PaymentReissue,
  ) {}

  /** Opens a round: a job schedules one payment per active beneficiary. Asking twice is the same job. */
  @Post()
  @HttpCode(202)
  @Roles('programme-officer')
  @UseGuards(QueueAvailableGuard)
  open(@Body() body: OpenRoundDto, @CurrentContext() context: RequestContext): Promise<JobView> {
    const data: OpenRoundJobData = { programmeId: body.programmeId, period: body.period, origin: originOf(context) };
    return this.jobs.start(BANK_QUEUES.openRound, openRoundJobId(body.programmeId, body.period), data);
  }

  /** Groups the round's unbatched payments into batches; the caller is their maker. */
  @Post(':programmeId/:period/batches')
  @HttpCode(202)
  @Roles('finance-officer')
  @UseGuards(QueueAvailableGuard)
  buildBatches(@Param() { programmeId, period }: RoundParams, @CurrentContext() context: RequestContext) {
    const jobId = buildBatchesJobId(programmeId, period, context.requestId);
    return this.jobs.start(BANK_QUEUES.buildBatches, jobId, { programmeId, period, origin: originOf(context) });
  }

  /** Puts the round's rejected and returned payments whose account was fixed back in the pool. */
  @Post(':programmeId/:period/reissues')
  @HttpCode(200)
  @Roles('finance-officer')
  reissueFixed(
    @Param() { programmeId, period }: RoundParams,
    @CurrentContext() context: RequestContext,
  ): Promise<ReissueResult> {
    return this.reissue.reissueFixed({ programmeId, period }, ledgerContextOfRequest(context));
  }
}
