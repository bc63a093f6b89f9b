import {
  ApproveReversalCommand,
  ConfirmOutcomeDecisionCommand,
  RequestOutcomeDecisionCommand,
  RequestReversalCommand,
} from '@salur/payments';
import { paymentsIn } from './batch-lookup';
import type { UserAction } from './user-action';
import { CAST, contextOf } from './world';

export const reissueRound: UserAction = {
  name: 'reissue round',
  weight: 1.5,
  async run(world) {
    if (world.directory.rounds.length === 0) return undefined;
    const round = world.random.pick(world.directory.rounds);
    const context = contextOf(world, world.random.pick(CAST.financeOfficers));
    const result = await world.service.reissue.reissueRound(round, context);
    return `reissued ${round.programmeId} ${round.period}: ${JSON.stringify(result)}`;
  },
};

/** Four eyes on a payment the bank never answered for: one officer proposes, another confirms. */
export const decideUnknownOutcome: UserAction = {
  name: 'decide unknown outcome',
  weight: 2,
  async run(world) {
    const unknown = await paymentsIn(world, world.directory.allPayments, 'outcome-unknown');
    if (unknown.length === 0) return undefined;
    const payment = world.random.pick(unknown);
    if (payment.status !== 'outcome-unknown') return undefined;
    const officer = world.random.pick(CAST.financeOfficers);
    const context = contextOf(world, officer);
    if (!payment.decisionRequest) {
      const outcome = world.random.pick(['credited', 'not-credited'] as const);
      await world.service.requestOutcomeDecision.execute(
        new RequestOutcomeDecisionCommand(payment.paymentId, outcome, 'checked with the bank by telephone', context),
      );
      return `${officer.userId} proposed ${outcome} for ${payment.paymentId}`;
    }
    await world.service.confirmOutcomeDecision.execute(
      new ConfirmOutcomeDecisionCommand(payment.paymentId, payment.decisionRequest.outcome, context),
    );
    return `${officer.userId} confirmed ${payment.decisionRequest.outcome} for ${payment.paymentId}`;
  },
};

export const reverseCredit: UserAction = {
  name: 'reverse credit',
  weight: 0.5,
  async run(world) {
    const credited = await paymentsIn(world, world.directory.allPayments, 'credited');
    if (credited.length === 0) return undefined;
    const payment = world.random.pick(credited);
    if (payment.status !== 'credited') return undefined;
    const officer = world.random.pick(CAST.financeOfficers);
    const context = contextOf(world, officer);
    if (!payment.reversalRequest) {
      await world.service.requestReversal.execute(
        new RequestReversalCommand(payment.paymentId, 'paid to a deceased beneficiary', context),
      );
      return `${officer.userId} asked to reverse ${payment.paymentId}`;
    }
    await world.service.approveReversal.execute(new ApproveReversalCommand(payment.paymentId, context));
    return `${officer.userId} reversed ${payment.paymentId}`;
  },
};
