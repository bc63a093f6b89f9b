import type { RecordedEvent } from '@salur/event-store';
import type { DomainEvent } from '@salur/kernel';

/** Stream names as the capabilities name them; the directory reads ids from data, not from these. */
const STREAM_OF: Readonly<Record<string, (data: Record<string, unknown>) => unknown>> = {
  Programme: (data) => `programme-${String(data.programmeId)}`,
  Budget: (data) => `programme-${String(data.programmeId)}`,
  Beneficiary: (data) => `beneficiary-${String(data.beneficiaryId)}`,
  BankAccount: (data) => `beneficiary-${String(data.beneficiaryId)}`,
  Payment: (data) => `payment-${String(data.paymentId)}`,
  Batch: (data) => `batch-${String(data.batchId)}`,
};

/**
 * Domain events as the store would record them, at consecutive positions from `firstPosition`:
 * for tests of projections without a store.
 */
export function recordedEvents(events: readonly DomainEvent[], firstPosition = 1): RecordedEvent[] {
  return events.map((event, index) => {
    const data = event.data as Record<string, unknown>;
    const prefix = Object.keys(STREAM_OF).find((candidate) => event.type.startsWith(candidate));
    return {
      id: `00000000-0000-4000-8000-${String(firstPosition + index).padStart(12, '0')}`,
      type: event.type,
      streamName: String(prefix === undefined ? 'other' : STREAM_OF[prefix](data)),
      revision: 0,
      position: firstPosition + index,
      recordedAt: typeof data.at === 'string' ? data.at : '2026-01-01T00:00:00.000Z',
      data,
      metadata: {},
    };
  });
}
