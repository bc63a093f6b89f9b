import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  CommandReceipt,
  handleCommand,
  LEDGER_CONFIG,
  LedgerConfig,
  loadStream,
  metadataOf,
  receiptOf,
  scanLog,
} from '@salur/application';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { formatAmount, notFound } from '@salur/kernel';
import {
  budgetOf,
  DEFAULT_PERSONAL_DATA_RETENTION,
  programmeDecider,
  programmeIdFor,
  programmeStreamName,
} from '../domain';
import {
  CreateProgrammeCommand,
  DeclareApprovalPolicyCommand,
  DeclareProgrammeScheduleCommand,
  GetProgrammeQuery,
  ProgrammeView,
  RaiseBudgetCeilingCommand,
} from './programme.messages';

@CommandHandler(CreateProgrammeCommand)
export class CreateProgrammeHandler implements ICommandHandler<CreateProgrammeCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async execute({ input, context }: CreateProgrammeCommand): Promise<CommandReceipt> {
    const programmeId = programmeIdFor(input.code, input.fiscalYear);
    // The programme records the policy its batches follow: the request's, or the deployment's.
    const approvalPolicy = input.approvalPolicy ?? this.config.approvalPolicy;
    const outcome = await handleCommand(
      this.store,
      programmeStreamName(programmeId),
      programmeDecider,
      { type: 'CreateProgramme', data: { programmeId, ...input, approvalPolicy }, context },
      { metadata: metadataOf(context) },
    );
    return receiptOf(programmeId, outcome);
  }
}

@CommandHandler(DeclareApprovalPolicyCommand)
export class DeclareApprovalPolicyHandler implements ICommandHandler<DeclareApprovalPolicyCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ programmeId, approvalPolicy, context }: DeclareApprovalPolicyCommand): Promise<CommandReceipt> {
    const outcome = await handleCommand(
      this.store,
      programmeStreamName(programmeId),
      programmeDecider,
      { type: 'DeclareApprovalPolicy', data: { programmeId, approvalPolicy }, context },
      { metadata: metadataOf(context) },
    );
    return receiptOf(programmeId, outcome);
  }
}

@CommandHandler(DeclareProgrammeScheduleCommand)
export class DeclareProgrammeScheduleHandler implements ICommandHandler<DeclareProgrammeScheduleCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ programmeId, schedule, context }: DeclareProgrammeScheduleCommand): Promise<CommandReceipt> {
    const outcome = await handleCommand(
      this.store,
      programmeStreamName(programmeId),
      programmeDecider,
      // Only a programme without a schedule reads the log: the decider refuses the others anyway.
      async (state) => ({
        type: 'DeclareProgrammeSchedule' as const,
        data: {
          programmeId,
          schedule,
          usedPeriods: state.status === 'active' && !state.schedule ? await periodsPaid(this.store, programmeId) : [],
        },
        context,
      }),
      { metadata: metadataOf(context) },
    );
    return receiptOf(programmeId, outcome);
  }
}

/**
 * The periods the programme's payments name, from the log (the programme stream does not see
 * payments). Read by event type, not through the payments registry: payments depend on
 * programmes, not the other way round.
 */
async function periodsPaid(store: EventStore, programmeId: string): Promise<string[]> {
  const periods = new Set<string>();
  await scanLog(store, (type, data) => {
    if (type === 'PaymentScheduled' && data.programmeId === programmeId) periods.add(String(data.period));
  });
  return [...periods].sort();
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
      schedule: state.schedule ? { kind: state.schedule.kind, periods: state.schedule.periods } : null,
      personalDataRetention: state.personalDataRetention ?? DEFAULT_PERSONAL_DATA_RETENTION,
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

export const PROGRAMME_HANDLERS = [
  CreateProgrammeHandler,
  DeclareApprovalPolicyHandler,
  DeclareProgrammeScheduleHandler,
  RaiseBudgetCeilingHandler,
  GetProgrammeHandler,
];
