import type { RecordedEvent } from '@salur/event-store';
import type { DomainEvent } from '@salur/kernel';

/**
 * An unmasked read, recorded as a fact of the log: who saw the NIK, KK or account numbers of
 * which beneficiaries, through which endpoint. Appended to the viewer's own stream
 * (`pii-access-<userId>`) before the answer leaves, so an answer is never sent unrecorded.
 */
export const PERSONAL_DATA_VIEWED = 'PersonalDataViewed';

export type PersonalDataViewed = DomainEvent<
  typeof PERSONAL_DATA_VIEWED,
  {
    readonly viewerId: string;
    readonly viewerRole: string;
    readonly beneficiaryIds: string[];
    /** Method and route, never the query string (it may hold the NIK searched for). */
    readonly endpoint: string;
    readonly at: string;
    /**
     * Set when the read was a search by NIK or KK: which kinds were searched for. Never the value,
     * nor its search key: a key kept in the log would let whoever holds the master key confirm a
     * guessed NIK was looked up, even after the beneficiary's data was erased.
     */
    readonly searchedBy?: readonly ('nik' | 'kk')[];
  }
>;

export function personalDataAccessStreamName(userId: string): string {
  return `pii-access-${userId}`;
}

/** The beneficiaries of a recorded PersonalDataViewed; read defensively, a malformed one names none. */
export function personalDataViewedOf(recorded: RecordedEvent): { readonly beneficiaryIds: readonly string[] } {
  const ids = (recorded.data as { beneficiaryIds?: unknown }).beneficiaryIds;
  return { beneficiaryIds: Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [] };
}
