import { Command, Query } from '@nestjs/cqrs';
import type { CommandReceipt, LedgerContext } from '@salur/application';
import type { JobOrigin, RunView } from '@salur/queue';
import type { ReasonClass, UnknownOutcomeDecision } from '../domain';

/**
 * Opens a round, or a supplementary run of it: a job schedules one payment per active
 * beneficiary not yet scheduled for the period. The answer is the run's job and its number.
 */
export class OpenRoundCommand extends Command<RunView> {
  constructor(
    readonly programmeId: string,
    readonly period: string,
    readonly origin: JobOrigin,
  ) {
    super();
  }
}

export class SchedulePaymentCommand extends Command<CommandReceipt> {
  constructor(
    readonly programmeId: string,
    readonly period: string,
    readonly beneficiaryId: string,
    readonly context: LedgerContext,
    /**
     * A person asking twice gets a 409; a round being replayed after a crash must instead find
     * the payment it already scheduled and carry on.
     */
    readonly ifScheduled: 'refuse' | 'accept' = 'refuse',
  ) {
    super();
  }
}

export class ReissuePaymentCommand extends Command<CommandReceipt> {
  constructor(
    readonly paymentId: string,
    readonly context: LedgerContext,
  ) {
    super();
  }
}

export class RequestReversalCommand extends Command<CommandReceipt> {
  constructor(
    readonly paymentId: string,
    readonly reason: string,
    readonly context: LedgerContext,
  ) {
    super();
  }
}

export class ApproveReversalCommand extends Command<CommandReceipt> {
  constructor(
    readonly paymentId: string,
    readonly context: LedgerContext,
  ) {
    super();
  }
}

/** Four eyes on an unknown outcome, first half: an officer names the outcome and why. */
export class RequestOutcomeDecisionCommand extends Command<CommandReceipt> {
  constructor(
    readonly paymentId: string,
    readonly outcome: UnknownOutcomeDecision,
    readonly reason: string,
    readonly context: LedgerContext,
  ) {
    super();
  }
}

/** Second half: another officer confirms the same outcome. */
export class ConfirmOutcomeDecisionCommand extends Command<CommandReceipt> {
  constructor(
    readonly paymentId: string,
    readonly outcome: UnknownOutcomeDecision,
    readonly context: LedgerContext,
  ) {
    super();
  }
}

export interface PaymentView {
  readonly paymentId: string;
  readonly programmeId: string;
  readonly period: string;
  readonly beneficiaryId: string;
  readonly amount: string;
  readonly status: string;
  readonly attempt: number;
  readonly batchId: string | null;
  readonly creditedAmount: string | null;
  /** Why the bank refused or returned it (rejected, returned), and which side that reason is on. */
  readonly reasonCode: string | null;
  readonly reasonClass: ReasonClass | null;
  /** For an unknown outcome: the decision one officer asked for, waiting for a second. */
  readonly decisionRequest: { readonly outcome: UnknownOutcomeDecision; readonly requestedBy: string } | null;
  readonly revision: number;
}

export class GetPaymentQuery extends Query<PaymentView> {
  constructor(readonly paymentId: string) {
    super();
  }
}
