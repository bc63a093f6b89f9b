import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandReceipt, ledgerContextOfRequest } from '@salur/application';
import { CurrentContext, RequestContext, Roles } from '@salur/http';
import { Page, ProjectionStatusService, readAfter } from '@salur/projections';
import { balancesProjection } from '../read-models/balances.projection';
import { PaymentQueries, type PaymentView as PaymentRow } from '../read-models/payment.queries';
import {
  ApproveReversalCommand,
  ConfirmOutcomeDecisionCommand,
  GetPaymentQuery,
  PaymentView,
  ReissuePaymentCommand,
  RequestOutcomeDecisionCommand,
  RequestReversalCommand,
  SchedulePaymentCommand,
} from '../application/payment.messages';
import {
  OutcomeDecisionConfirmationDto,
  OutcomeDecisionRequestDto,
  PaymentListQuery,
  PaymentParams,
  ReversalRequestDto,
  SchedulePaymentDto,
} from './payment.dto';

@ApiTags('payments')
@ApiBearerAuth()
@Controller('payments')
export class PaymentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly payments: PaymentQueries,
    private readonly readModels: ProjectionStatusService,
  ) {}

  /** One payment by hand; rounds schedule them in bulk through the worker. */
  @Post()
  @Roles('programme-officer', 'finance-officer')
  schedule(@Body() body: SchedulePaymentDto, @CurrentContext() context: RequestContext): Promise<CommandReceipt> {
    return this.commands.execute(
      new SchedulePaymentCommand(body.programmeId, body.period, body.beneficiaryId, ledgerContextOfRequest(context)),
    );
  }

  @Post(':paymentId/reissue')
  @HttpCode(200)
  @Roles('finance-officer')
  reissue(@Param() { paymentId }: PaymentParams, @CurrentContext() context: RequestContext): Promise<CommandReceipt> {
    return this.commands.execute(new ReissuePaymentCommand(paymentId, ledgerContextOfRequest(context)));
  }

  @Post(':paymentId/reversal-request')
  @HttpCode(200)
  @Roles('finance-officer')
  requestReversal(
    @Param() { paymentId }: PaymentParams,
    @Body() body: ReversalRequestDto,
    @CurrentContext() context: RequestContext,
  ): Promise<CommandReceipt> {
    return this.commands.execute(new RequestReversalCommand(paymentId, body.reason, ledgerContextOfRequest(context)));
  }

  @Post(':paymentId/reversal-approval')
  @HttpCode(200)
  @Roles('finance-officer')
  approveReversal(
    @Param() { paymentId }: PaymentParams,
    @CurrentContext() context: RequestContext,
  ): Promise<CommandReceipt> {
    return this.commands.execute(new ApproveReversalCommand(paymentId, ledgerContextOfRequest(context)));
  }

  /** Four eyes on an outcome nobody knows (outcome-unknown): one officer asks for a decision… */
  @Post(':paymentId/outcome-decisions')
  @HttpCode(200)
  @Roles('finance-officer')
  requestOutcomeDecision(
    @Param() { paymentId }: PaymentParams,
    @Body() body: OutcomeDecisionRequestDto,
    @CurrentContext() context: RequestContext,
  ): Promise<CommandReceipt> {
    return this.commands.execute(
      new RequestOutcomeDecisionCommand(paymentId, body.outcome, body.reason, ledgerContextOfRequest(context)),
    );
  }

  /** …and another one confirms it. */
  @Post(':paymentId/outcome-decisions/confirmation')
  @HttpCode(200)
  @Roles('finance-officer')
  confirmOutcomeDecision(
    @Param() { paymentId }: PaymentParams,
    @Body() body: OutcomeDecisionConfirmationDto,
    @CurrentContext() context: RequestContext,
  ): Promise<CommandReceipt> {
    return this.commands.execute(
      new ConfirmOutcomeDecisionCommand(paymentId, body.outcome, ledgerContextOfRequest(context)),
    );
  }

  @Get()
  @Roles('programme-officer', 'finance-officer', 'bank-integration', 'inspector', 'admin')
  async list(@Query() query: PaymentListQuery): Promise<Page<PaymentRow>> {
    await readAfter(this.readModels, query.minPosition, [balancesProjection.name]);
    const { programmeId, period, status, batchId, beneficiaryId, limit, cursor } = query;
    return this.payments.list({ programmeId, period, status, batchId, beneficiaryId }, { limit, cursor });
  }

  @Get(':paymentId')
  @Roles('programme-officer', 'finance-officer', 'bank-integration', 'inspector', 'admin')
  get(@Param() { paymentId }: PaymentParams): Promise<PaymentView> {
    return this.queries.execute(new GetPaymentQuery(paymentId));
  }
}
