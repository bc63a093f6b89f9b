import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  CommandReceipt,
  crashPoint,
  handleCommand,
  LedgerContext,
  loadStream,
  metadataOf,
  receiptOf,
} from '@salur/application';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { PersonalDataVault } from '@salur/personal-data';
import { DEFAULT_PERSONAL_DATA_RETENTION, programmeDecider, programmeStreamName } from '@salur/programmes/domain';
import {
  beneficiaryDecider,
  beneficiaryStreamName,
  type BeneficiaryCommand,
  type BeneficiaryState,
  type ErasureCircumstances,
} from '../domain';
import { ApproveBeneficiaryErasureCommand, RequestBeneficiaryErasureCommand } from './beneficiary.messages';
import { openPaymentsOf } from './open-payments';

/**
 * What the erasure is judged against, read fresh on every attempt: the programme's retention
 * (the default for a programme created before retention was declared) and the payments still
 * moving. A beneficiary the decider will refuse anyway (absent, not exited) reads nothing more.
 */
async function circumstancesOf(store: EventStore, state: BeneficiaryState): Promise<ErasureCircumstances> {
  if (state.status !== 'exited') return { retention: DEFAULT_PERSONAL_DATA_RETENTION, openPaymentIds: [] };
  const programme = await loadStream(store, programmeStreamName(state.programmeId), programmeDecider);
  const retention =
    (programme.state.status === 'active' ? programme.state.personalDataRetention : undefined) ??
    DEFAULT_PERSONAL_DATA_RETENTION;
  return { retention, openPaymentIds: await openPaymentsOf(store, programme.state, state.beneficiaryId) };
}

/** The command, decided on the state it was read against, with the circumstances read for it. */
function decideOn(
  store: EventStore,
  beneficiaryId: string,
  context: LedgerContext,
  commandOn: (circumstances: ErasureCircumstances) => BeneficiaryCommand,
) {
  return handleCommand(
    store,
    beneficiaryStreamName(beneficiaryId),
    beneficiaryDecider,
    async (state) => commandOn(await circumstancesOf(store, state)),
    { metadata: metadataOf(context) },
  );
}

@CommandHandler(RequestBeneficiaryErasureCommand)
export class RequestBeneficiaryErasureHandler implements ICommandHandler<RequestBeneficiaryErasureCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ beneficiaryId, reason, context }: RequestBeneficiaryErasureCommand): Promise<CommandReceipt> {
    const outcome = await decideOn(this.store, beneficiaryId, context, (circumstances) => ({
      type: 'RequestBeneficiaryErasure',
      data: { beneficiaryId, reason, ...circumstances },
      context,
    }));
    return receiptOf(beneficiaryId, outcome);
  }
}

/**
 * Records BeneficiaryErased in the beneficiary's stream, then deletes their key: one stream per
 * command, and the deletion an idempotent side effect. A crash between the two leaves a stream
 * that ends erased and a key still held; the erasure pass (BeneficiaryErasurePass) finishes it.
 */
@CommandHandler(ApproveBeneficiaryErasureCommand)
export class ApproveBeneficiaryErasureHandler implements ICommandHandler<ApproveBeneficiaryErasureCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly vault: PersonalDataVault,
  ) {}

  async execute({ beneficiaryId, context }: ApproveBeneficiaryErasureCommand): Promise<CommandReceipt> {
    const outcome = await decideOn(this.store, beneficiaryId, context, (circumstances) => ({
      type: 'ApproveBeneficiaryErasure',
      data: { beneficiaryId, ...circumstances },
      context,
    }));
    crashPoint('beneficiary-erasure:erased');
    for (const event of outcome.events) {
      if (event.type === 'BeneficiaryErased')
        await this.vault.erase(beneficiaryStreamName(beneficiaryId), event.data.at);
    }
    return receiptOf(beneficiaryId, outcome);
  }
}

export const ERASURE_HANDLERS = [RequestBeneficiaryErasureHandler, ApproveBeneficiaryErasureHandler];
