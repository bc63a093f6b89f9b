import type { EventStore } from '@salur/event-store';
import type { DomainError } from '@salur/kernel';

/**
 * Refuses work about something the ledger never recorded (a programme, a batch), before the job
 * is asked for. Without it an unknown id answers 202 and writes the job's request and its end for
 * nothing; with it the caller gets the 404 of `missing` and nothing is written. One event is
 * enough to know the stream exists, so only one is read.
 */
export async function requireRecorded(
  store: EventStore,
  streamName: string,
  missing: () => DomainError,
): Promise<void> {
  for await (const _event of store.readStream(streamName, { maxCount: 1 })) return;
  throw missing();
}
