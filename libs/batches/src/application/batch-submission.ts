import { Inject, Injectable } from '@nestjs/common';
import { handleCommand, LedgerContext, loadStream, metadataOf } from '@salur/application';
import { batchDecider, batchStreamName } from '../domain';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { notFound } from '@salur/kernel';
import { paymentDecider, paymentStreamName } from '@salur/payments/domain';

export interface SubmissionResult {
  readonly batchId: string;
  readonly fileName: string;
  readonly sha256: string;
  readonly payments: number;
}

/**
 * Records that the batch's pain.001 was handed to the bank, then marks each payment sent. The
 * batch event comes first: once it is written the batch is never submitted again (a submission
 * whose outcome is unknown waits for the bank's status report, it is not resent). Marking the
 * payments is idempotent, so a submission cut short is finished by asking again.
 */
@Injectable()
export class BatchSubmission {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async submit(batchId: string, context: LedgerContext): Promise<SubmissionResult> {
    const outcome = await handleCommand(
      this.store,
      batchStreamName(batchId),
      batchDecider,
      { type: 'SubmitBatch', data: { batchId }, context },
      { metadata: metadataOf(context) },
    );
    const batch = outcome.state;
    if (batch.status === 'absent') throw notFound('BATCH_NOT_FOUND', `No batch ${batchId}`);
    for (const { paymentId } of batch.payments) {
      // Once the batch is submitted, a payment it lists that is no longer batched here was marked
      // sent by an earlier attempt and has moved on since (an answer, the outcome timeout, a
      // reissue): its part is done. Marking it again would refuse, and leave the rest unsent for good.
      const { state: payment } = await loadStream(this.store, paymentStreamName(paymentId), paymentDecider);
      if (payment.status !== 'batched' || payment.batchId !== batchId) continue;
      await handleCommand(
        this.store,
        paymentStreamName(paymentId),
        paymentDecider,
        { type: 'MarkPaymentSent', data: { paymentId, batchId }, context },
        { metadata: metadataOf(context) },
      );
    }
    const file = batch.files.find((candidate) => candidate.format === 'pain001');
    return { batchId, fileName: file?.fileName ?? '', sha256: file?.sha256 ?? '', payments: batch.payments.length };
  }
}
