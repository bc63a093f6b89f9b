import { Command, Query } from '@nestjs/cqrs';
import type { CommandReceipt, LedgerContext } from '@salur/application';
import type { ApprovalPolicy } from '@salur/kernel';

export interface CreateProgrammeInput {
  readonly code: string;
  readonly name: string;
  readonly fiscalYear: number;
  readonly budgetCeiling: string;
  readonly benefitAmount: string;
  readonly currency: string;
  /** Absent: monthly (see parseScheduleRequest). */
  readonly schedule?: ProgrammeScheduleInput;
  /** Absent: the deployment's (APPROVAL_TIERS). */
  readonly approvalPolicy?: ApprovalPolicy;
  /** ISO-8601 duration personal data is kept after a beneficiary exits; absent: P10Y. */
  readonly personalDataRetention?: string;
}

/** A new approval policy, for the programme's batches started from now on. */
export class DeclareApprovalPolicyCommand extends Command<CommandReceipt> {
  constructor(
    readonly programmeId: string,
    readonly approvalPolicy: ApprovalPolicy,
    readonly context: LedgerContext,
  ) {
    super();
  }
}

export interface ProgrammeScheduleInput {
  readonly kind: string;
  /** A one-off period's name (`ONE` in `2026-ONE`); only for a one-off schedule. */
  readonly name?: string;
}

/** Declares the schedule of a programme created before schedules were declared (once). */
export class DeclareProgrammeScheduleCommand extends Command<CommandReceipt> {
  constructor(
    readonly programmeId: string,
    readonly schedule: ProgrammeScheduleInput,
    readonly context: LedgerContext,
  ) {
    super();
  }
}

export class CreateProgrammeCommand extends Command<CommandReceipt> {
  constructor(
    readonly input: CreateProgrammeInput,
    readonly context: LedgerContext,
  ) {
    super();
  }
}

export class RaiseBudgetCeilingCommand extends Command<CommandReceipt> {
  constructor(
    readonly programmeId: string,
    readonly input: { readonly newCeiling: string; readonly reason: string },
    readonly context: LedgerContext,
  ) {
    super();
  }
}

export interface ProgrammeView {
  readonly programmeId: string;
  readonly code: string;
  readonly name: string;
  readonly fiscalYear: number;
  readonly currency: string;
  readonly benefitAmount: string;
  /** null for a programme created before schedules were declared, until it declares one. */
  readonly schedule: { readonly kind: string; readonly periods: readonly string[] } | null;
  /** How long beneficiaries' personal data is kept after they exit (declared, or the P10Y default). */
  readonly personalDataRetention: string;
  readonly budget: {
    readonly ceiling: string;
    readonly reserved: string;
    readonly released: string;
    readonly remaining: string;
  };
  readonly revision: number;
}

export class GetProgrammeQuery extends Query<ProgrammeView> {
  constructor(readonly programmeId: string) {
    super();
  }
}
