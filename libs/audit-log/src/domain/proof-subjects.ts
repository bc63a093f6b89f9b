import type { LeafRecord } from './leaf';

/**
 * What a leaf is indexed under, so that a beneficiary's or a batch's proof finds its payments
 * without scanning the log: a payment's schedule names its beneficiary, a batching names its batch.
 */
export function proofSubjectsOf(record: LeafRecord): string[] {
  const { type, data } = record;
  if (type === 'PaymentScheduled' && typeof data.beneficiaryId === 'string')
    return [beneficiarySubject(data.beneficiaryId)];
  if (type === 'PaymentBatched' && typeof data.batchId === 'string') return [batchSubject(data.batchId)];
  return [];
}

export const beneficiarySubject = (beneficiaryId: string) => `beneficiary:${beneficiaryId}`;
export const batchSubject = (batchId: string) => `batch:${batchId}`;
