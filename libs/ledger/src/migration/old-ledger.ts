import { existsSync } from 'node:fs';
import {
  CanonicalizationError,
  hashedLeafOf,
  MerkleAppender,
  openAuditLogDatabase,
  parseCheckpointText,
  parseSignedNote,
} from '@salur/audit-log';
import type { ReadModelConfig } from '@salur/database';
import type { EventStore, RecordedEvent } from '@salur/event-store';
import { isSealedField } from '@salur/personal-data';
import { LEDGER_MIGRATION_STREAM } from './ledger-migrated';
import { MigrationRefusedError } from './migration-refused';

/** What the old store holds, read once before anything is written. */
export interface OldLedgerSurvey {
  readonly eventCount: number;
  /** RFC 9162 root over the events' leaves, as the old audit log hashed them. */
  readonly rootHash: Buffer;
}

/** The old log's latest signed checkpoint, as stored. */
export interface OldCheckpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Buffer;
  readonly note: string;
}

/** Bound on the depth of event data walked (the API bounds bodies at 32 levels). */
const MAX_DEPTH = 64;
const PROGRESS_EVERY_EVENTS = 5_000;

/**
 * The old events' count and Merkle root, hashing each exactly as the audit log does (so the root
 * can be compared with the old log's signed one). Refuses a store that already holds sealed data or
 * a migration: its envelopes were sealed under another key store and would be copied unreadable.
 */
export async function surveyOldLedger(
  store: EventStore,
  onProgress?: (eventsRead: number) => void,
): Promise<OldLedgerSurvey> {
  const tree = new LeafRoot();
  for await (const event of store.readAll()) {
    assertNotSealed(event);
    tree.add(event);
    if (tree.size % PROGRESS_EVERY_EVENTS === 0) onProgress?.(tree.size);
  }
  onProgress?.(tree.size);
  return { eventCount: tree.size, rootHash: tree.root() };
}

/** The running Merkle root of events in log order, as leaves of the audit log. */
export class LeafRoot {
  private readonly tree = MerkleAppender.empty();

  get size(): number {
    return this.tree.size;
  }

  add(event: RecordedEvent): void {
    let hash: Buffer;
    try {
      hash = hashedLeafOf(event).hash;
    } catch (error) {
      if (!(error instanceof CanonicalizationError)) throw error;
      throw new MigrationRefusedError(
        `Old event ${event.id} (${event.streamName} revision ${event.revision}) cannot be hashed as a leaf, so no log ` +
          `can have signed it: ${error.message}`,
      );
    }
    this.tree.append(hash);
  }

  root(): Buffer {
    return this.tree.root();
  }
}

function assertNotSealed(event: RecordedEvent): void {
  if (event.streamName === LEDGER_MIGRATION_STREAM) {
    throw new MigrationRefusedError(
      `The old store was itself written by a migration (stream ${LEDGER_MIGRATION_STREAM}): its personal data is sealed already`,
    );
  }
  if (holdsSealedField(event.data, 0)) {
    throw new MigrationRefusedError(
      `Old event ${event.id} (${event.type} in ${event.streamName}) already holds sealed personal data: this command ` +
        'rewrites ledgers written before sealing, and sealed fields would be copied without the keys that open them',
    );
  }
}

function holdsSealedField(value: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return false;
  if (isSealedField(value)) return true;
  return (Array.isArray(value) ? value : Object.values(value)).some((item) => holdsSealedField(item, depth + 1));
}

/**
 * The old audit log's latest signed checkpoint, read only (nothing is created or migrated there);
 * 'absent' when the database or its checkpoint table does not exist. A checkpoint whose note does
 * not state the stored size and root is refused: the old log's tables were altered.
 */
export async function readOldCheckpoint(config: ReadModelConfig): Promise<OldCheckpoint | 'absent'> {
  if (config.dialect === 'sqlite' && (config.sqlitePath === ':memory:' || !existsSync(config.sqlitePath))) {
    return 'absent';
  }
  const db = openAuditLogDatabase(config);
  try {
    const tables = await db.introspection.getTables();
    if (!tables.some((table) => table.name === 'audit_log_checkpoints')) return 'absent';
    const row = await db
      .selectFrom('auditLogCheckpoints')
      .select(['treeSize', 'rootHash', 'note'])
      .orderBy('treeSize', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (row === undefined) {
      throw new MigrationRefusedError(
        'The old audit log has no signed checkpoint: sign one over the whole old ledger first ' +
          '(npm run cli -- audit checkpoint, with the old ledger’s configuration)',
      );
    }
    const checkpoint = parseCheckpointText(parseSignedNote(row.note).text);
    const size = Number(row.treeSize);
    if (checkpoint.size !== size || !checkpoint.rootHash.equals(row.rootHash)) {
      throw new MigrationRefusedError(
        `The old audit log's checkpoint row (size ${size}) does not match its own signed note: its tables were altered`,
      );
    }
    return { origin: checkpoint.origin, size, rootHash: checkpoint.rootHash, note: row.note };
  } finally {
    await db.destroy();
  }
}

/** The old log must sign exactly the events about to be copied: all of them, as they are now. */
export function assertCheckpointSignsSurvey(checkpoint: OldCheckpoint, survey: OldLedgerSurvey): void {
  if (checkpoint.size < survey.eventCount) {
    throw new MigrationRefusedError(
      `The old log's latest checkpoint signs ${checkpoint.size} of the old store's ${survey.eventCount} events: ` +
        'stop the old ledger, sign a checkpoint over all of it (npm run cli -- audit checkpoint, with the old ' +
        'ledger’s configuration) and run again',
    );
  }
  if (checkpoint.size > survey.eventCount) {
    throw new MigrationRefusedError(
      `The old log's latest checkpoint signs ${checkpoint.size} events but the old store holds ${survey.eventCount}: ` +
        'events were lost from the old store (or this is another ledger’s log)',
    );
  }
  if (!checkpoint.rootHash.equals(survey.rootHash)) {
    throw new MigrationRefusedError(
      `The old store's ${survey.eventCount} events do not hash to the root its log signed ` +
        `(${checkpoint.rootHash.toString('base64')}): the store was altered, or this is another ledger’s log ` +
        '(npm run cli -- check, on the old ledger, names the events)',
    );
  }
}
