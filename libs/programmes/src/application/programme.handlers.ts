import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CommandReceipt, handleCommand, loadStream, metadataOf, receiptOf } from '@salur/application';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { formatAmount, notFound } from '@salur/kernel';
import { budgetOf, programmeDecider, programmeIdFor, programmeStreamName } from '../domain';
import {
  CreateProgrammeCommand,
  GetProgrammeQuery,
  ProgrammeView,
  RaiseBudgetCeilingCommand,
} from './programme.messages';

@CommandHandler(CreateProgrammeCommand)
export class CreateProgrammeHandler implements ICommandHandler<CreateProgrammeCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ input, context }: CreateProgrammeCommand): Promise<CommandReceipt> {
    const programmeId = programmeIdFor(input.code, input.fiscalYear);
    const outcome = await handleCommand(
      this.store,
      programmeStreamName(programmeId),
      programmeDecider,
      { type: 'CreateProgramme', data: { programmeId, ...input }, context },
      { metadata: metadataOf(context) },
    );
    return receiptOf(programmeId, outcome);
  }
}

@CommandHandler(RaiseBudgetCeilingCommand)
export class RaiseBudgetCeilingHandler implements ICommandHandler<RaiseBudgetCeilingCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ programmeId, input, context }: RaiseBudgetCeilingCommand): Promise<CommandReceipt> {
    const outcome = await handleCommand(
      this.store,
      programmeStreamName(programmeId),
      programmeDecider,
      { type: 'RaiseBudgetCeiling', data: { programmeId, ...input }, context },
      { metadata: metadataOf(context) },
    );
    return receiptOf(programmeId, outcome);
  }
}

@QueryHandler(GetProgrammeQuery)
export class GetProgrammeHandler implements IQueryHandler<GetProgrammeQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ programmeId }: GetProgrammeQuery): Promise<ProgrammeView> {
    const { state, revision } = await loadStream(this.store, programmeStreamName(programmeId), programmeDecider);
    if (state.status === 'absent') throw notFound('PROGRAMME_NOT_FOUND', `No programme ${programmeId}`);
    const budget = budgetOf(state);
    return {
      programmeId: state.programmeId,
      code: state.code,
      name: state.name,
      fiscalYear: state.fiscalYear,
      currency: state.currency,
      benefitAmount: formatAmount(state.benefitAmount),
      budget: {
        ceiling: formatAmount(budget.ceiling),
        reserved: formatAmount(budget.reserved),
        released: formatAmount(budget.released),
        remaining: formatAmount(budget.remaining),
      },
      revision,
    };
  }
}

export const PROGRAMME_HANDLERS = [CreateProgrammeHandler, RaiseBudgetCeilingHandler, GetProgrammeHandler];
