import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CommandReceipt, handleCommand, loadStream, metadataOf, receiptOf } from '@salur/application';
import { beneficiaryDecider, beneficiaryStreamName, isPayable } from '@salur/beneficiaries/domain';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { conflict, formatAmount, notFound, ruleBroken } from '@salur/kernel';
import { programmeDecider, programmeStreamName, requireDeclaredPeriod } from '@salur/programmes/domain';
import { BANK_QUEUES, BankJobs, openRoundJobId, type RunView } from '@salur/queue';
import {
  classifyReasonCode,
  PaymentCommand,
  paymentDecider,
  paymentIdFor,
  PaymentState,
  paymentStreamName,
} from '../domain';
import type { OpenRoundJobData } from '../jobs/open-round.processor';
import {
  ApproveReversalCommand,
  ConfirmOutcomeDecisionCommand,
  GetPaymentQuery,
  OpenRoundCommand,
  PaymentView,
  ReissuePaymentCommand,
  RequestOutcomeDecisionCommand,
  RequestReversalCommand,
  SchedulePaymentCommand,
} from './payment.messages';

@CommandHandler(SchedulePaymentCommand)
export class SchedulePaymentHandler implements ICommandHandler<SchedulePaymentCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({
    programmeId,
    period,
    beneficiaryId,
    context,
    ifScheduled,
  }: SchedulePaymentCommand): Promise<CommandReceipt> {
    const programme = await loadStream(this.store, programmeStreamName(programmeId), programmeDecider);
    if (programme.state.status === 'absent') throw notFound('PROGRAMME_NOT_FOUND', `No programme ${programmeId}`);
    // One schedule kind per programme: a declared period never overlaps another payable one,
    // and the derived payment id keeps one payment per beneficiary and period.
    requireDeclaredPeriod(programme.state, period);
    const beneficiary = await loadStream(this.store, beneficiaryStreamName(beneficiaryId), beneficiaryDecider);
    if (beneficiary.state.status === 'absent' || beneficiary.state.programmeId !== programmeId) {
      throw notFound('BENEFICIARY_NOT_FOUND', `No beneficiary ${beneficiaryId} in ${programmeId}`);
    }
    if (!isPayable(beneficiary.state)) {
      throw ruleBroken('BENEFICIARY_NOT_ACTIVE', `A ${beneficiary.state.status} beneficiary is not paid`);
    }
    const paymentId = paymentIdFor(programmeId, period, beneficiaryId);
    const amount = formatAmount(programme.state.benefitAmount);
    const outcome = await handleCommand(
      this.store,
      paymentStreamName(paymentId),
      paymentDecider,
      (state: PaymentState): PaymentCommand => {
        if (state.status !== 'absent' && ifScheduled === 'refuse') {
          throw conflict(
            'PAYMENT_EXISTS',
            `${beneficiaryId} already has a payment for ${period}: it cannot be paid twice`,
          );
        }
        return { type: 'SchedulePayment', data: { paymentId, programmeId, period, beneficiaryId, amount }, context };
      },
      { metadata: metadataOf(context) },
    );
    return receiptOf(paymentId, outcome);
  }
}

/**
 * Checks the round can be paid (404 `PROGRAMME_NOT_FOUND`, 422 `PERIOD_NOT_DECLARED`) before any
 * job is queued, then starts its next run (BankJobs.startRun): a request joins a run that has not
 * started yet, and opens a supplementary run once the last one started or finished, so a request
 * after a late enrolment is never answered with an old completed job.
 */
@CommandHandler(OpenRoundCommand)
export class OpenRoundHandler implements ICommandHandler<OpenRoundCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly jobs: BankJobs,
  ) {}

  async execute({ programmeId, period, origin }: OpenRoundCommand): Promise<RunView> {
    const programme = await loadStream(this.store, programmeStreamName(programmeId), programmeDecider);
    if (programme.state.status === 'absent') throw notFound('PROGRAMME_NOT_FOUND', `No programme ${programmeId}`);
    requireDeclaredPeriod(programme.state, period);
    return this.jobs.startRun(
      BANK_QUEUES.openRound,
      (run) => openRoundJobId(programmeId, period, run),
      (run): OpenRoundJobData => ({ programmeId, period, run, origin }),
    );
  }
}

@CommandHandler(ReissuePaymentCommand)
export class ReissuePaymentHandler implements ICommandHandler<ReissuePaymentCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ paymentId, context }: ReissuePaymentCommand): Promise<CommandReceipt> {
    const payment = await loadStream(this.store, paymentStreamName(paymentId), paymentDecider);
    if (payment.state.status === 'absent') throw notFound('PAYMENT_NOT_FOUND', `No payment ${paymentId}`);
    const beneficiary = await loadStream(
      this.store,
      beneficiaryStreamName(payment.state.beneficiaryId),
      beneficiaryDecider,
    );
    if (!isPayable(beneficiary.state)) throw ruleBroken('BENEFICIARY_NOT_ACTIVE', 'The beneficiary is not active');
    // The beneficiary's account now: the decider refuses it if it is still the one the bank refused.
    const account = beneficiary.state.bankAccount;
    const outcome = await handleCommand(
      this.store,
      paymentStreamName(paymentId),
      paymentDecider,
      { type: 'ReissuePayment', data: { paymentId, account, beneficiaryRevision: beneficiary.revision }, context },
      { metadata: metadataOf(context) },
    );
    return receiptOf(paymentId, outcome);
  }
}

@CommandHandler(RequestReversalCommand)
export class RequestReversalHandler implements ICommandHandler<RequestReversalCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ paymentId, reason, context }: RequestReversalCommand): Promise<CommandReceipt> {
    const outcome = await handleCommand(
      this.store,
      paymentStreamName(paymentId),
      paymentDecider,
      { type: 'RequestReversal', data: { paymentId, reason }, context },
      { metadata: metadataOf(context) },
    );
    return receiptOf(paymentId, outcome);
  }
}

@CommandHandler(ApproveReversalCommand)
export class ApproveReversalHandler implements ICommandHandler<ApproveReversalCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ paymentId, context }: ApproveReversalCommand): Promise<CommandReceipt> {
    const outcome = await handleCommand(
      this.store,
      paymentStreamName(paymentId),
      paymentDecider,
      { type: 'ApproveReversal', data: { paymentId }, context },
      { metadata: metadataOf(context) },
    );
    return receiptOf(paymentId, outcome);
  }
}

@CommandHandler(RequestOutcomeDecisionCommand)
export class RequestOutcomeDecisionHandler implements ICommandHandler<RequestOutcomeDecisionCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ paymentId, outcome, reason, context }: RequestOutcomeDecisionCommand): Promise<CommandReceipt> {
    const result = await handleCommand(
      this.store,
      paymentStreamName(paymentId),
      paymentDecider,
      { type: 'RequestOutcomeDecision', data: { paymentId, outcome, reason }, context },
      { metadata: metadataOf(context) },
    );
    return receiptOf(paymentId, result);
  }
}

@CommandHandler(ConfirmOutcomeDecisionCommand)
export class ConfirmOutcomeDecisionHandler implements ICommandHandler<ConfirmOutcomeDecisionCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ paymentId, outcome, context }: ConfirmOutcomeDecisionCommand): Promise<CommandReceipt> {
    const result = await handleCommand(
      this.store,
      paymentStreamName(paymentId),
      paymentDecider,
      { type: 'ConfirmOutcomeDecision', data: { paymentId, outcome }, context },
      { metadata: metadataOf(context) },
    );
    return receiptOf(paymentId, result);
  }
}

@QueryHandler(GetPaymentQuery)
export class GetPaymentHandler implements IQueryHandler<GetPaymentQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ paymentId }: GetPaymentQuery): Promise<PaymentView> {
    const { state, revision } = await loadStream(this.store, paymentStreamName(paymentId), paymentDecider);
    if (state.status === 'absent') throw notFound('PAYMENT_NOT_FOUND', `No payment ${paymentId}`);
    return {
      paymentId: state.paymentId,
      programmeId: state.programmeId,
      period: state.period,
      beneficiaryId: state.beneficiaryId,
      amount: state.amount,
      status: state.status,
      attempt: state.attempt,
      batchId: 'batchId' in state ? state.batchId : null,
      creditedAmount: state.status === 'credited' ? state.creditedAmount : null,
      reasonCode: 'reasonCode' in state ? state.reasonCode : null,
      reasonClass: 'reasonCode' in state ? classifyReasonCode(state.reasonCode) : null,
      decisionRequest:
        state.status === 'outcome-unknown' && state.decisionRequest
          ? { outcome: state.decisionRequest.outcome, requestedBy: state.decisionRequest.requestedBy }
          : null,
      revision,
    };
  }
}

export const PAYMENT_HANDLERS = [
  SchedulePaymentHandler,
  OpenRoundHandler,
  ReissuePaymentHandler,
  RequestReversalHandler,
  ApproveReversalHandler,
  RequestOutcomeDecisionHandler,
  ConfirmOutcomeDecisionHandler,
  GetPaymentHandler,
];
