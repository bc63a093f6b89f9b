import { randomUUID } from 'node:crypto';
import { metadataOf } from '@salur/application';
import type { EventStore, RecordedEvent } from '@salur/event-store';
import { copyEvents, type CopyLimits, DEFAULT_COPY_LIMITS } from './copy-events';
import {
  LEDGER_MIGRATED,
  LEDGER_MIGRATION_STREAM,
  type LedgerMigrated,
  PERSONAL_DATA_MIGRATION_VERSION,
} from './ledger-migrated';
import { MigrationRefusedError } from './migration-refused';
import { assertCheckpointSignsSurvey, type OldCheckpoint, type OldLedgerSurvey, surveyOldLedger } from './old-ledger';

export interface PersonalDataMigration {
  /** The old ledger's store, raw: its events exactly as stored, personal data in clear. */
  readonly oldStore: EventStore;
  /** The old log's latest signed checkpoint, or 'absent' when the operator said there is none. */
  readonly oldLog: OldCheckpoint | 'absent';
  /** The new store, raw: to see what it holds. */
  readonly newRaw: EventStore;
  /** The same new store through the sealing layer: every write goes through it. */
  readonly newStore: EventStore;
  readonly now?: () => string;
  readonly limits?: CopyLimits;
  readonly onProgress?: (progress: MigrationProgress) => void;
}

export type MigrationProgress =
  | { readonly phase: 'checking'; readonly eventsRead: number }
  | { readonly phase: 'copying'; readonly done: number; readonly total: number };

export interface MigrationReport {
  readonly migrated: LedgerMigrated['data'];
  /** True when the new store already opened with this migration (a rerun after a crash, or after the end). */
  readonly resumed: boolean;
  readonly alreadyCopied: number;
  readonly copied: number;
}

/** Who writes LedgerMigrated: the operator's tool, asked by nobody through the API. */
const MIGRATION_ACTOR = { userId: 'salur-migration', role: 'admin' } as const;

/**
 * Rewrites an old ledger (personal data in clear) into a new, sealed one: checks that the old log
 * signed exactly the old events, opens the new store with LedgerMigrated naming that log, then
 * copies every event through the sealing layer. Refuses a new store that holds anything but this
 * same migration; a rerun of the same migration resumes (or finds it complete).
 */
export async function migratePersonalData(migration: PersonalDataMigration): Promise<MigrationReport> {
  const now = migration.now ?? (() => new Date().toISOString());
  const survey = await surveyOldLedger(migration.oldStore, (eventsRead) =>
    migration.onProgress?.({ phase: 'checking', eventsRead }),
  );
  if (migration.oldLog !== 'absent') assertCheckpointSignsSurvey(migration.oldLog, survey);
  const proposed = migratedData(survey, migration.oldLog, now());
  const { opening, resumed } = await openNewLedger(migration, proposed, now());
  const total = survey.eventCount;
  const result = await copyEvents({
    oldStore: migration.oldStore,
    newRaw: migration.newRaw,
    newStore: migration.newStore,
    after: opening.position,
    eventsToCopy: total,
    rootHash: survey.rootHash,
    limits: migration.limits ?? DEFAULT_COPY_LIMITS,
    onProgress: (done) => migration.onProgress?.({ phase: 'copying', done, total }),
  });
  return { migrated: opening.data as LedgerMigrated['data'], resumed, ...result };
}

function migratedData(survey: OldLedgerSurvey, oldLog: OldCheckpoint | 'absent', at: string): LedgerMigrated['data'] {
  const checked = oldLog === 'absent' ? undefined : oldLog;
  return {
    oldLog: checked ? 'checked' : 'absent',
    oldOrigin: checked?.origin ?? null,
    oldLogSize: checked?.size ?? null,
    oldRootHash: checked?.rootHash.toString('base64') ?? null,
    oldCheckpoint: checked?.note ?? null,
    copiedRootHash: survey.rootHash.toString('base64'),
    eventsToCopy: survey.eventCount,
    toolVersion: PERSONAL_DATA_MIGRATION_VERSION,
    at,
  };
}

/**
 * The new store's first event, LedgerMigrated: written now into an empty store, or found from an
 * earlier run of this same migration (same old events, same old log). Anything else is refused.
 */
async function openNewLedger(
  migration: PersonalDataMigration,
  proposed: LedgerMigrated['data'],
  at: string,
): Promise<{ readonly opening: RecordedEvent; readonly resumed: boolean }> {
  const found = await firstEventOf(migration.newRaw);
  if (found !== undefined) return { opening: assertSameMigration(found, proposed), resumed: true };
  const id = randomUUID();
  const context = { actor: MIGRATION_ACTOR, now: at, correlationId: id, causationId: id };
  await migration.newStore.append(
    LEDGER_MIGRATION_STREAM,
    [{ id, type: LEDGER_MIGRATED, data: proposed, metadata: metadataOf(context) }],
    { expectedRevision: 'no_stream' },
  );
  // Another writer (a service started on the new store too early) may have come first.
  const opening = await firstEventOf(migration.newRaw);
  if (opening?.id !== id) {
    throw new MigrationRefusedError(
      `Something wrote into the new store as the migration started (${opening?.type} in ${opening?.streamName}): ` +
        'stop every service using the new store, delete it (and its key database) and migrate again',
    );
  }
  return { opening, resumed: false };
}

function assertSameMigration(found: RecordedEvent, proposed: LedgerMigrated['data']): RecordedEvent {
  if (found.type !== LEDGER_MIGRATED) {
    throw new MigrationRefusedError(
      `The new store is not empty (it opens with ${found.type} in ${found.streamName}): migrate into an empty store`,
    );
  }
  const earlier = found.data as Partial<LedgerMigrated['data']>;
  const same =
    earlier.copiedRootHash === proposed.copiedRootHash &&
    earlier.eventsToCopy === proposed.eventsToCopy &&
    earlier.oldRootHash === proposed.oldRootHash;
  if (!same) {
    throw new MigrationRefusedError(
      `The new store holds another migration (of ${earlier.eventsToCopy} events, root ${earlier.copiedRootHash}); ` +
        `the old store now holds ${proposed.eventsToCopy} events, root ${proposed.copiedRootHash}: migrate into an empty store`,
    );
  }
  return found;
}

async function firstEventOf(store: EventStore): Promise<RecordedEvent | undefined> {
  for await (const event of store.readAll({ maxCount: 1 })) return event;
  return undefined;
}
