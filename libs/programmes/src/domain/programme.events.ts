import { eventRegistry, type DomainEvent } from '@salur/kernel';

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

export type ProgrammeEvent = ProgrammeCreated | BudgetCeilingRaised | BudgetReserved | BudgetReleased;

/** Every programme event type, for readers of the log (see toDomainEvent). */
export const PROGRAMME_EVENTS = eventRegistry<ProgrammeEvent>({
  ProgrammeCreated: true,
  BudgetCeilingRaised: true,
  BudgetReserved: true,
  BudgetReleased: true,
});
