import { Command, Query } from '@nestjs/cqrs';
import type { CommandReceipt, LedgerContext } from '@salur/application';

export interface CreateProgrammeInput {
  readonly code: string;
  readonly name: string;
  readonly fiscalYear: number;
  readonly budgetCeiling: string;
  readonly benefitAmount: string;
  readonly currency: string;
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
