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
import { ERASED_VALUE, notFound } from '@salur/kernel';
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
      nik: shown(state.nik, identity),
      kk: shown(state.kk, identity),
      name: state.name,
      regionCode: state.regionCode,
      bankAccount: { ...state.bankAccount, accountNumber: shown(state.bankAccount.accountNumber, account) },
      masked: !identity || !account,
      revision,
    };
  }
}

/** An erased value says so to everyone: masking '[erased]' would read as a number withheld. */
function shown(value: string, seesIt: boolean): string {
  return seesIt || value === ERASED_VALUE ? value : mask(value);
}

export const BENEFICIARY_HANDLERS = [EnrolBeneficiaryHandler, ChangeBeneficiaryHandler, GetBeneficiaryHandler];
