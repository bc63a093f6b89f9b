import { Inject, Injectable } from '@nestjs/common';
import { handleCommand, LedgerContext, loadStream, metadataOf } from '@salur/application';
import { beneficiaryDecider, beneficiaryStreamName, isPayable } from '@salur/beneficiaries/domain';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { paymentDecider, paymentStreamName, sameAccount } from '../domain';
import { paymentsOfRound } from './round-scan';

export interface ReissueResult {
  readonly reissued: number;
  /** Rejected or returned, but the beneficiary still has the account the bank refused. */
  readonly awaitingAccountFix: number;
  /** Rejected or returned, and the beneficiary is suspended or exited. */
  readonly beneficiaryNotActive: number;
}

/**
 * Puts a round's rejected and returned payments back in the pool once the beneficiary's account
 * was fixed, so the next build batches them again (attempt 2). The payment's decider makes a
 * reissue happen exactly once and refuses the account the bank refused.
 */
@Injectable()
export class PaymentReissue {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async reissueFixed(round: { programmeId: string; period: string }, context: LedgerContext): Promise<ReissueResult> {
    const result = { reissued: 0, awaitingAccountFix: 0, beneficiaryNotActive: 0 };
    for (const paymentId of await paymentsOfRound(this.store, round.programmeId, round.period)) {
      const { state } = await loadStream(this.store, paymentStreamName(paymentId), paymentDecider);
      if (state.status !== 'rejected' && state.status !== 'returned') continue;
      const beneficiary = await loadStream(this.store, beneficiaryStreamName(state.beneficiaryId), beneficiaryDecider);
      if (!isPayable(beneficiary.state)) {
        result.beneficiaryNotActive++;
        continue;
      }
      if (!state.account || sameAccount(state.account, beneficiary.state.bankAccount)) {
        result.awaitingAccountFix++;
        continue;
      }
      await handleCommand(
        this.store,
        paymentStreamName(paymentId),
        paymentDecider,
        { type: 'ReissuePayment', data: { paymentId, account: beneficiary.state.bankAccount }, context },
        { metadata: metadataOf(context) },
      );
      result.reissued++;
    }
    return result;
  }
}
