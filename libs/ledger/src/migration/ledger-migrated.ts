import { type DomainEvent, eventRegistry } from '@salur/kernel';

/** The stream of the one event that opens a migrated ledger: leaf 0 of its new Merkle log. */
export const LEDGER_MIGRATION_STREAM = 'ledger-migration';
export const LEDGER_MIGRATED = 'LedgerMigrated';
/** Bumped whenever what the migration writes or checks changes; recorded in LedgerMigrated. */
export const PERSONAL_DATA_MIGRATION_VERSION = 'migrate-personal-data/1';

/**
 * A ledger rewritten from an older one whose events held personal data in clear. It names the old
 * ledger's Merkle log as last signed, so the new log's first leaf (and so its every checkpoint)
 * commits to the old log's root: an old proof stays checkable against the old log, and the new
 * log says which old log it continues. Readers of the ledger's facts ignore it.
 */
export type LedgerMigrated = DomainEvent<
  typeof LEDGER_MIGRATED,
  {
    /** 'checked': the old log's latest checkpoint signs exactly the events copied. 'absent': no old log was given (--no-old-log). */
    readonly oldLog: 'checked' | 'absent';
    /** The old checkpoint's origin line; null when absent. */
    readonly oldOrigin: string | null;
    /** The old log's size at its latest checkpoint: the number of events copied; null when absent. */
    readonly oldLogSize: number | null;
    /** The old checkpoint's root hash, base64; null when absent. */
    readonly oldRootHash: string | null;
    /** The old latest signed checkpoint note, verbatim (its signatures included); null when absent. */
    readonly oldCheckpoint: string | null;
    /**
     * RFC 9162 root over the old events as read for copying (each as the old log would hash it):
     * equal to oldRootHash when the old log was checked, and a commitment to the copied events when not.
     */
    readonly copiedRootHash: string;
    readonly eventsToCopy: number;
    readonly toolVersion: string;
    readonly at: string;
  }
>;

/** The migration's event type, for readers of the log (see toDomainEvent). */
export const LEDGER_MIGRATION_EVENTS = eventRegistry<LedgerMigrated>({ LedgerMigrated: true });
