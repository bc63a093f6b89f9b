import type { LoggedEvent } from './leaf';

/*
 * What every rule over a proof's history shares (payment-evidence.ts, account-binding.ts): its
 * own module so that those rules need not import each other.
 */

/** The history is not a complete, ordered chain of this payment's events: the proof fails. */
export class EvidenceChainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvidenceChainError';
  }
}

/** A stream's events in the proof are its revisions 0, 1, 2, … in log order: none missing, none swapped. */
export function assertGapless(stream: string, events: readonly LoggedEvent[]): void {
  if (events.length === 0) throw new EvidenceChainError(`no event of ${stream} is in the proof`);
  events.forEach(({ leafIndex, record }, expected) => {
    if (record.revision !== expected) {
      throw new EvidenceChainError(
        `${stream}: expected revision ${expected} at leaf ${leafIndex}, found revision ${record.revision}: an event is missing or out of order`,
      );
    }
  });
}
