import { loadStream } from '@salur/application';
import { beneficiaryDecider, beneficiaryStreamName, isPayable } from '@salur/beneficiaries/domain';
import type { EventStore } from '@salur/event-store';
import { conflict, invalid, notFound, ruleBroken } from '@salur/kernel';
import { paymentDecider, paymentStreamName } from '@salur/payments/domain';
import type { BatchItem } from '../domain';

/**
 * What a maker's list of payments becomes in a batch: each payment's beneficiary and amount,
 * and the account as it stands now (the one the bank file will use and the approvers sign off).
 */
export async function itemsForNewBatch(
  store: EventStore,
  round: { readonly programmeId: string; readonly period: string; readonly paymentIds: readonly string[] },
): Promise<BatchItem[]> {
  const items: BatchItem[] = [];
  for (const paymentId of round.paymentIds) {
    const payment = await loadStream(store, paymentStreamName(paymentId), paymentDecider);
    if (payment.state.status === 'absent') throw notFound('PAYMENT_NOT_FOUND', `No payment ${paymentId}`);
    // Refused here, before any payment is claimed, so a refusal writes nothing; a race lost
    // later is refused by the payment's own stream and the claims are given back.
    if (payment.state.programmeId !== round.programmeId || payment.state.period !== round.period) {
      throw invalid(
        'PAYMENT_NOT_IN_ROUND',
        `Payment ${paymentId} is not of ${round.programmeId} ${round.period}`,
        'paymentIds',
      );
    }
    if (payment.state.status === 'batched' || payment.state.status === 'sent') {
      throw conflict(
        'PAYMENT_ALREADY_BATCHED',
        `Payment ${paymentId} is already in batch ${payment.state.batchId}`,
        'paymentIds',
      );
    }
    if (payment.state.status !== 'scheduled' && payment.state.status !== 'reissued') {
      throw ruleBroken('PAYMENT_NOT_BATCHABLE', `Payment ${paymentId} is ${payment.state.status}`, 'paymentIds');
    }
    const beneficiary = await loadStream(store, beneficiaryStreamName(payment.state.beneficiaryId), beneficiaryDecider);
    if (!isPayable(beneficiary.state)) {
      throw ruleBroken('BENEFICIARY_NOT_ACTIVE', `The beneficiary of payment ${paymentId} is not active`, 'paymentIds');
    }
    items.push({
      paymentId,
      beneficiaryId: payment.state.beneficiaryId,
      amount: payment.state.amount,
      account: beneficiary.state.bankAccount,
      beneficiaryRevision: beneficiary.revision,
    });
  }
  return items;
}

/**
 * The items of payments already in a batch, with the account snapshot taken when they joined it.
 * A listed payment that is not batched here means the batch and its payments disagree (a change
 * that raced this one, or a step a crash left for the workflow pass): a 409 to retry, not a 500.
 */
export async function itemsInBatch(
  store: EventStore,
  batchId: string,
  paymentIds: readonly string[],
): Promise<BatchItem[]> {
  const items: BatchItem[] = [];
  for (const paymentId of paymentIds) {
    const { state } = await loadStream(store, paymentStreamName(paymentId), paymentDecider);
    if (state.status !== 'batched' || state.batchId !== batchId || !state.account) {
      throw conflict(
        'PAYMENT_NOT_IN_BATCH',
        `Payment ${paymentId} is listed in batch ${batchId} but is not batched there (${state.status}); retry once the batch's pending steps are done`,
      );
    }
    items.push({
      paymentId,
      beneficiaryId: state.beneficiaryId,
      amount: state.amount,
      account: state.account,
      beneficiaryRevision: state.beneficiaryRevision,
    });
  }
  return items;
}

export function assertPaymentList(paymentIds: readonly string[], maxPayments: number): void {
  if (paymentIds.length === 0) throw invalid('EMPTY_BATCH', 'A batch needs at least one payment', 'paymentIds');
  if (paymentIds.length > maxPayments) {
    throw invalid('BATCH_TOO_LARGE', `A batch holds at most ${maxPayments} payments`, 'paymentIds');
  }
  if (new Set(paymentIds).size !== paymentIds.length) {
    throw invalid('DUPLICATE_PAYMENT_IN_BATCH', 'A payment is listed twice', 'paymentIds');
  }
}
