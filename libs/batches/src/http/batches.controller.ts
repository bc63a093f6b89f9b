import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ledgerContextOfRequest } from '@salur/application';
import { CurrentContext, RequestContext, Roles } from '@salur/http';
import { Page, ProjectionStatusService, readAfter } from '@salur/projections';
import { BatchSubmission, type SubmissionResult } from '../application/batch-submission';
import { BatchQueries, type BatchView as BatchRow } from '../read-models/batch.queries';
import { batchViewsProjection } from '../read-models/batch-views.projection';
import {
  ApproveBatchCommand,
  BatchClosing,
  BatchReceipt,
  BatchView,
  CloseBatchCommand,
  CreateBatchCommand,
  GetBatchQuery,
  RemovePaymentsFromBatchCommand,
} from '../application/batch.messages';
import {
  ApproveBatchDto,
  BatchListQuery,
  BatchParams,
  BatchReasonDto,
  CreateBatchDto,
  RemovePaymentsDto,
} from './batch.dto';

@ApiTags('batches')
@ApiBearerAuth()
@Controller('batches')
export class BatchesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly batches: BatchQueries,
    private readonly submission: BatchSubmission,
    private readonly readModels: ProjectionStatusService,
  ) {}

  /** The caller is the maker: they can never approve this batch. */
  @Post()
  @Roles('finance-officer')
  create(@Body() body: CreateBatchDto, @CurrentContext() context: RequestContext): Promise<BatchReceipt> {
    return this.commands.execute(new CreateBatchCommand(body, ledgerContextOfRequest(context)));
  }

  @Post(':batchId/approvals')
  @HttpCode(200)
  @Roles('finance-officer')
  approve(
    @Param() { batchId }: BatchParams,
    @Body() body: ApproveBatchDto,
    @CurrentContext() context: RequestContext,
  ): Promise<BatchReceipt> {
    return this.commands.execute(new ApproveBatchCommand(batchId, body.contentHash, ledgerContextOfRequest(context)));
  }

  @Post(':batchId/removals')
  @HttpCode(200)
  @Roles('finance-officer')
  removePayments(
    @Param() { batchId }: BatchParams,
    @Body() body: RemovePaymentsDto,
    @CurrentContext() context: RequestContext,
  ): Promise<BatchReceipt> {
    return this.commands.execute(
      new RemovePaymentsFromBatchCommand(batchId, body.paymentIds, body.reason, ledgerContextOfRequest(context)),
    );
  }

  @Post(':batchId/rejection')
  @HttpCode(200)
  @Roles('finance-officer')
  reject(@Param() params: BatchParams, @Body() body: BatchReasonDto, @CurrentContext() context: RequestContext) {
    return this.close(params, { type: 'RejectBatch', reason: body.reason }, context);
  }

  @Post(':batchId/cancellation')
  @HttpCode(200)
  @Roles('finance-officer', 'admin')
  cancel(@Param() params: BatchParams, @Body() body: BatchReasonDto, @CurrentContext() context: RequestContext) {
    return this.close(params, { type: 'CancelBatch', reason: body.reason }, context);
  }

  @Post(':batchId/expiry')
  @HttpCode(200)
  @Roles('finance-officer', 'admin')
  expire(@Param() params: BatchParams, @CurrentContext() context: RequestContext) {
    return this.close(params, { type: 'ExpireBatch' }, context);
  }

  /** Hands the pain.001 to the bank: recorded once, its payments marked sent; never resent. */
  @Post(':batchId/submission')
  @HttpCode(200)
  @Roles('bank-integration', 'finance-officer')
  submit(@Param() { batchId }: BatchParams, @CurrentContext() context: RequestContext): Promise<SubmissionResult> {
    return this.submission.submit(batchId, ledgerContextOfRequest(context));
  }

  @Get()
  @Roles('finance-officer', 'programme-officer', 'bank-integration', 'inspector', 'admin')
  async list(@Query() query: BatchListQuery): Promise<Page<BatchRow>> {
    await readAfter(this.readModels, query.minPosition, [batchViewsProjection.name]);
    const { programmeId, period, status, makerId, limit, cursor } = query;
    return this.batches.list({ programmeId, period, status, makerId }, { limit, cursor });
  }

  @Get(':batchId')
  @Roles('finance-officer', 'programme-officer', 'bank-integration', 'inspector', 'admin')
  get(@Param() { batchId }: BatchParams): Promise<BatchView> {
    return this.queries.execute(new GetBatchQuery(batchId));
  }

  private close({ batchId }: BatchParams, closing: BatchClosing, context: RequestContext): Promise<BatchReceipt> {
    return this.commands.execute(new CloseBatchCommand(batchId, closing, ledgerContextOfRequest(context)));
  }
}
