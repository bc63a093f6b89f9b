import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  beneficiaryIdFor,
  CommandReceipt,
  handleCommand,
  LEDGER_CONFIG,
  LedgerConfig,
  loadStream,
  metadataOf,
  receiptOf,
} from '@salur/application';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { notFound } from '@salur/kernel';
import { programmeStreamName } from '@salur/programmes/domain';
import { beneficiaryDecider, beneficiaryStreamName, BeneficiaryCommand } from '../domain';
import {
  BeneficiaryView,
  ChangeBeneficiaryCommand,
  EnrolBeneficiaryCommand,
  GetBeneficiaryQuery,
} from './beneficiary.messages';
import { mask, seesAccountNumbers, seesIdentityNumbers } from '@salur/personal-data';

/**
 * A programme is either absent or active (programme.state.ts), so enrolment only needs its first
 * event. Folding the whole stream would read every budget reservation of every round (one per
 * batch: thousands a year for a national programme) on every enrolment.
 */
async function programmeExists(store: EventStore, programmeId: string): Promise<boolean> {
  for await (const first of store.readStream(programmeStreamName(programmeId), { maxCount: 1 })) {
    return first.type === 'ProgrammeCreated';
  }
  return false;
}

@CommandHandler(EnrolBeneficiaryCommand)
export class EnrolBeneficiaryHandler implements ICommandHandler<EnrolBeneficiaryCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async execute({ programmeId, input, context }: EnrolBeneficiaryCommand): Promise<CommandReceipt> {
    if (!(await programmeExists(this.store, programmeId))) {
      throw notFound('PROGRAMME_NOT_FOUND', `No programme ${programmeId}`);
    }
    // Same programme and NIK, same id: a second enrolment finds the stream taken.
    const beneficiaryId = beneficiaryIdFor(this.config.beneficiaryIdKey, programmeId, input.nik);
    const outcome = await handleCommand(
      this.store,
      beneficiaryStreamName(beneficiaryId),
      beneficiaryDecider,
      { type: 'EnrolBeneficiary', data: { beneficiaryId, programmeId, ...input }, context },
      { metadata: metadataOf(context) },
    );
    return receiptOf(beneficiaryId, outcome);
  }
}

@CommandHandler(ChangeBeneficiaryCommand)
export class ChangeBeneficiaryHandler implements ICommandHandler<ChangeBeneficiaryCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ beneficiaryId, change, context }: ChangeBeneficiaryCommand): Promise<CommandReceipt> {
    const { type, ...data } = change;
    const command = { type, data: { beneficiaryId, ...data }, context } as BeneficiaryCommand;
    const outcome = await handleCommand(this.store, beneficiaryStreamName(beneficiaryId), beneficiaryDecider, command, {
      metadata: metadataOf(context),
    });
    return receiptOf(beneficiaryId, outcome);
  }
}

@QueryHandler(GetBeneficiaryQuery)
export class GetBeneficiaryHandler implements IQueryHandler<GetBeneficiaryQuery> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ beneficiaryId, viewer }: GetBeneficiaryQuery): Promise<BeneficiaryView> {
    const { state, revision } = await loadStream(this.store, beneficiaryStreamName(beneficiaryId), beneficiaryDecider);
    if (state.status === 'absent') throw notFound('BENEFICIARY_NOT_FOUND', `No beneficiary ${beneficiaryId}`);
    const identity = seesIdentityNumbers(viewer);
    const account = seesAccountNumbers(viewer);
    return {
      beneficiaryId: state.beneficiaryId,
      programmeId: state.programmeId,
      status: state.status,
      nik: identity ? state.nik : mask(state.nik),
      kk: identity ? state.kk : mask(state.kk),
      name: state.name,
      regionCode: state.regionCode,
      bankAccount: {
        ...state.bankAccount,
        accountNumber: account ? state.bankAccount.accountNumber : mask(state.bankAccount.accountNumber),
      },
      masked: !identity || !account,
      revision,
    };
  }
}

export const BENEFICIARY_HANDLERS = [EnrolBeneficiaryHandler, ChangeBeneficiaryHandler, GetBeneficiaryHandler];
