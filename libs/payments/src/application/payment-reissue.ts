import { Inject, Injectable } from '@nestjs/common';
import { handleCommand, LedgerContext, loadStream, metadataOf } from '@salur/application';
import { beneficiaryDecider, beneficiaryStreamName, isPayable } from '@salur/beneficiaries/domain';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { paymentDecider, paymentStreamName, reissueNeedsAccountFix, sameAccount } from '../domain';
import { paymentsOfRound } from './round-scan';

export interface ReissueResult {
  readonly reissued: number;
  /** Refused for a beneficiary-side (or unreadable) reason, and the beneficiary still has the account the bank refused. */
  readonly awaitingAccountFix: number;
  /** Rejected, returned or not credited, and the beneficiary is suspended or exited. */
  readonly beneficiaryNotActive: number;
  /** Sent with no final answer past the timeout: a status report or two officers settle them first. */
  readonly awaitingOutcome: number;
}

/**
 * Puts a round's rejected, returned and not-credited payments back in the pool, so the next build
 * batches them again (attempt 2): at once when the reason was debtor-side (AM04: the treasury was
 * short) or two officers decided the payment was not credited; once the beneficiary's account was
 * fixed when the reason was beneficiary-side or unreadable (reason-codes.ts). The payment's
 * decider has the last word: a reissue happens exactly once and never to an account refused for
 * the beneficiary's sake. Payments whose outcome is unknown are counted, never reissued.
 */
@Injectable()
export class PaymentReissue {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async reissueRound(round: { programmeId: string; period: string }, context: LedgerContext): Promise<ReissueResult> {
    const result = { reissued: 0, awaitingAccountFix: 0, beneficiaryNotActive: 0, awaitingOutcome: 0 };
    for (const paymentId of await paymentsOfRound(this.store, round.programmeId, round.period)) {
      const { state } = await loadStream(this.store, paymentStreamName(paymentId), paymentDecider);
      if (state.status === 'outcome-unknown') result.awaitingOutcome++;
      if (state.status !== 'rejected' && state.status !== 'returned' && state.status !== 'not-credited') continue;
      const beneficiary = await loadStream(this.store, beneficiaryStreamName(state.beneficiaryId), beneficiaryDecider);
      if (!isPayable(beneficiary.state)) {
        result.beneficiaryNotActive++;
        continue;
      }
      if (
        !state.account ||
        (reissueNeedsAccountFix(state) && sameAccount(state.account, beneficiary.state.bankAccount))
      ) {
        result.awaitingAccountFix++;
        continue;
      }
      await handleCommand(
        this.store,
        paymentStreamName(paymentId),
        paymentDecider,
        {
          type: 'ReissuePayment',
          data: { paymentId, account: beneficiary.state.bankAccount, beneficiaryRevision: beneficiary.revision },
          context,
        },
        { metadata: metadataOf(context) },
      );
      result.reissued++;
    }
    return result;
  }
}
