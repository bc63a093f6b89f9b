import { eventRegistry, type DomainEvent } from '@salur/kernel';
import type { ScheduleKind } from './programme.schedule';

/** Amounts are canonical decimal strings ("600000.00"); `at` is the command's ISO-8601 instant. */
export type ProgrammeCreated = DomainEvent<
  'ProgrammeCreated',
  {
    readonly programmeId: string;
    readonly code: string;
    readonly name: string;
    readonly fiscalYear: number;
    readonly currency: 'IDR';
    readonly budgetCeiling: string;
    readonly benefitAmount: string;
    readonly createdBy: string;
    readonly at: string;
  }
>;

export type BudgetCeilingRaised = DomainEvent<
  'BudgetCeilingRaised',
  {
    readonly programmeId: string;
    readonly previousCeiling: string;
    readonly newCeiling: string;
    readonly reason: string;
    /** Budget left after this event, so an auditor reading one event sees the headroom. */
    readonly remainingBudget: string;
    readonly raisedBy: string;
    readonly at: string;
  }
>;

export type BudgetReserved = DomainEvent<
  'BudgetReserved',
  {
    readonly programmeId: string;
    readonly reservationId: string;
    readonly batchId: string;
    readonly amount: string;
    readonly remainingBudget: string;
    readonly reservedBy: string;
    readonly at: string;
  }
>;

export type BudgetReleased = DomainEvent<
  'BudgetReleased',
  {
    readonly programmeId: string;
    readonly releaseId: string;
    readonly reservationId: string;
    readonly batchId: string;
    readonly amount: string;
    readonly reason: string;
    readonly remainingBudget: string;
    readonly releasedBy: string;
    readonly at: string;
  }
>;

/**
 * The periods the programme pays, all inside its fiscal year and of one kind (so a month and its
 * quarter never both exist). Written with ProgrammeCreated, or once later by a programme created
 * before schedules were declared.
 */
export type ProgrammeScheduleDeclared = DomainEvent<
  'ProgrammeScheduleDeclared',
  {
    readonly programmeId: string;
    readonly kind: ScheduleKind;
    readonly periods: readonly string[];
    readonly declaredBy: string;
    readonly at: string;
  }
>;

/**
 * How many distinct approvers a batch of this programme needs, by its total: declared with the
 * programme (the deployment's APPROVAL_TIERS unless the request names its own) and again when it
 * changes. A batch takes the policy in force when it is started; an inspector checks each batch's
 * approvals against it.
 */
export type ApprovalPolicyDeclared = DomainEvent<
  'ApprovalPolicyDeclared',
  {
    readonly programmeId: string;
    readonly tiers: ReadonlyArray<{ readonly upTo: string | null; readonly approvers: number }>;
    readonly declaredBy: string;
    readonly at: string;
  }
>;

/**
 * How long the programme keeps a beneficiary's personal data after they leave it (an ISO-8601
 * duration, canonical: `P10Y`, `P0D`), counted from the exit: until then no erasure is accepted.
 * Written with ProgrammeCreated.
 */
export type PersonalDataRetentionDeclared = DomainEvent<
  'PersonalDataRetentionDeclared',
  {
    readonly programmeId: string;
    readonly retention: string;
    readonly declaredBy: string;
    readonly at: string;
  }
>;

export type ProgrammeEvent =
  | ProgrammeCreated
  | PersonalDataRetentionDeclared
  | ProgrammeScheduleDeclared
  | ApprovalPolicyDeclared
  | BudgetCeilingRaised
  | BudgetReserved
  | BudgetReleased;

/** Every programme event type, for readers of the log (see toDomainEvent). */
export const PROGRAMME_EVENTS = eventRegistry<ProgrammeEvent>({
  ProgrammeCreated: true,
  ProgrammeScheduleDeclared: true,
  ApprovalPolicyDeclared: true,
  PersonalDataRetentionDeclared: true,
  BudgetCeilingRaised: true,
  BudgetReserved: true,
  BudgetReleased: true,
});
