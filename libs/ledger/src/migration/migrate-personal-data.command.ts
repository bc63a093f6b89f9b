import { SingleBar } from 'cli-progress';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { auditDatabaseFrom } from '@salur/audit-log';
import { type CliOutput, CliUsageError, type Environment } from '@salur/config';
import type { ReadModelConfig } from '@salur/database';
import type { PersonalDataFields } from '@salur/kernel';
import {
  DEFAULT_APPEND_LIMITS,
  type EventStore,
  type EventStoreConfig,
  eventStoreConfigFrom,
  openEventStore,
} from '@salur/event-store';
import { DEVELOPMENT_MASTER_KEY_WARNING, openSealingEventStore, personalDataConfigFrom } from '@salur/personal-data';
import { LEDGER_MIGRATION_STREAM } from './ledger-migrated';
import { migratePersonalData, type MigrationProgress, type MigrationReport } from './migrate-personal-data';
import { MigrationRefusedError } from './migration-refused';
import { readOldCheckpoint } from './old-ledger';

export const MIGRATE_PERSONAL_DATA_USAGE =
  'ledger migrate-personal-data (--from-sqlite <old events file> | --from-postgres <old url>) ' +
  '[--from-audit <old audit db file or url>] [--no-old-log]';

/** The old log's file beside the old events when --from-audit is not given (as auditDatabaseFrom places it). */
const AUDIT_LOG_FILE_NAME = 'salur-audit.db';

interface OldLedger {
  readonly store: EventStoreConfig;
  readonly auditLog: ReadModelConfig;
  readonly noOldLog: boolean;
}

/**
 * `npm run cli -- ledger migrate-personal-data --from-sqlite <old events file>`: copies a ledger
 * written before personal data was sealed into the store configured as usual (SQLITE_PATH or
 * DATABASE_URL, PERSONAL_DATA_*), sealed, opened by LedgerMigrated naming the old log's latest
 * checkpoint. Exit 0 when the new store holds every old event, 1 on a refusal (the message says why).
 */
export async function migratePersonalDataCommand(
  args: readonly string[],
  env: Environment,
  output: CliOutput,
  /** The ledger's personal-data declarations (LEDGER_PERSONAL_DATA): what gets sealed. */
  fields: PersonalDataFields,
  progress: MigrationProgressView = progressView(output),
): Promise<number> {
  const old = oldLedgerFrom(args);
  const target = eventStoreConfigFrom(env);
  try {
    assertDistinct(old, target, auditDatabaseFrom(env));
    const oldLog = await oldLogOf(old);
    const personalData = personalDataConfigFrom(env);
    if (personalData.usesDevelopmentKey) output.stderr(`Warning: ${DEVELOPMENT_MASTER_KEY_WARNING}`);
    const report = await withStores(old.store, target, async (oldStore, newRaw) => {
      const newStore = await openSealingEventStore(newRaw, personalData, fields);
      try {
        return await migratePersonalData({
          oldStore,
          oldLog,
          newRaw,
          newStore,
          onProgress: (now) => progress.update(now),
        });
      } finally {
        progress.stop();
        await newStore.close();
      }
    });
    output.stdout(summary(report));
    return 0;
  } catch (error) {
    if (!(error instanceof MigrationRefusedError)) throw error;
    output.stderr(`Refused: ${error.message}`);
    return 1;
  }
}

function oldLedgerFrom(args: readonly string[]): OldLedger {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        'from-sqlite': { type: 'string' },
        'from-postgres': { type: 'string' },
        'from-audit': { type: 'string' },
        'no-old-log': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  const sqlite = values['from-sqlite'];
  const postgres = values['from-postgres'];
  if ((sqlite === undefined) === (postgres === undefined)) {
    throw new CliUsageError('give the old store: --from-sqlite <file> or --from-postgres <url>, one of them');
  }
  const audit = values['from-audit'];
  const noOldLog = values['no-old-log'] === true;
  if (audit !== undefined && noOldLog) throw new CliUsageError('--from-audit and --no-old-log contradict each other');
  const unused = { eventStoreDbUrl: '', limits: DEFAULT_APPEND_LIMITS, startupWaitMs: 0 };
  if (sqlite !== undefined) {
    const path = resolve(sqlite);
    if (!existsSync(path)) throw new CliUsageError(`the old events file ${path} does not exist`);
    return {
      store: { adapter: 'sqlite', sqlitePath: path, postgresUrl: '', ...unused },
      auditLog: auditLogAt(audit ?? join(dirname(path), AUDIT_LOG_FILE_NAME)),
      noOldLog,
    };
  }
  const url = postgres as string;
  return {
    store: { adapter: 'postgres', sqlitePath: '', postgresUrl: url, ...unused },
    // On PostgreSQL the log lives in the read-model database, by default the events' own.
    auditLog: auditLogAt(audit ?? url),
    noOldLog,
  };
}

function auditLogAt(where: string): ReadModelConfig {
  return /^postgres(ql)?:\/\//.test(where)
    ? { dialect: 'postgres', sqlitePath: '', postgresUrl: where }
    : { dialect: 'sqlite', sqlitePath: resolve(where), postgresUrl: '' };
}

/** The new ledger must not be the old one, nor log into the old log's tables. */
function assertDistinct(old: OldLedger, target: EventStoreConfig, targetAuditLog: ReadModelConfig): void {
  if (sameDatabase(placeOf(old.store), placeOf(target))) {
    throw new MigrationRefusedError(
      'The new store is the old one: configure a new store (SQLITE_PATH or DATABASE_URL)',
    );
  }
  if (sameDatabase(placeOf(old.auditLog), placeOf(targetAuditLog))) {
    throw new MigrationRefusedError(
      'The new ledger would keep its audit log in the old log’s database: give the new ledger a directory of its ' +
        'own (or AUDIT_LOG_SQLITE_PATH / READ_MODEL_DATABASE_URL)',
    );
  }
}

function placeOf(config: EventStoreConfig | ReadModelConfig): string {
  const kind = 'adapter' in config ? config.adapter : config.dialect;
  if (kind === 'sqlite') return `sqlite:${resolve(config.sqlitePath)}`;
  if (kind === 'postgres') {
    const url = new URL(config.postgresUrl);
    return `postgres:${url.hostname}:${url.port || '5432'}${url.pathname}`;
  }
  return `eventstoredb:${'eventStoreDbUrl' in config ? config.eventStoreDbUrl : ''}`;
}

function sameDatabase(left: string, right: string): boolean {
  return left === right && !left.endsWith(':memory:');
}

async function oldLogOf(old: OldLedger) {
  const checkpoint = await readOldCheckpoint(old.auditLog);
  const where = old.auditLog.dialect === 'sqlite' ? old.auditLog.sqlitePath : 'the old PostgreSQL database';
  if (checkpoint === 'absent' && !old.noOldLog) {
    throw new MigrationRefusedError(
      `No old audit log at ${where}: give it with --from-audit, or migrate with --no-old-log (LedgerMigrated then ` +
        'says the old log was absent, and the new log cannot name the old root)',
    );
  }
  if (checkpoint !== 'absent' && old.noOldLog) {
    throw new MigrationRefusedError(`--no-old-log, but the old audit log is at ${where}: drop --no-old-log`);
  }
  return checkpoint;
}

async function withStores<T>(
  oldConfig: EventStoreConfig,
  newConfig: EventStoreConfig,
  work: (oldStore: EventStore, newRaw: EventStore) => Promise<T>,
): Promise<T> {
  const oldStore = await openEventStore(oldConfig);
  try {
    // The sealing store closes the new raw store with itself.
    return await work(oldStore, await openEventStore(newConfig));
  } finally {
    await oldStore.close();
  }
}

function summary(report: MigrationReport): string {
  const { migrated } = report;
  const oldLog =
    migrated.oldLog === 'checked'
      ? `the old log ${migrated.oldOrigin} at size ${migrated.oldLogSize}, root ${migrated.oldRootHash}`
      : 'no old log (--no-old-log)';
  return [
    `Copied ${report.copied} events sealed` +
      (report.alreadyCopied > 0 ? ` (${report.alreadyCopied} were copied by an earlier run)` : '') +
      `; the new store holds all ${migrated.eventsToCopy} old events.`,
    `Its first event, LedgerMigrated (stream ${LEDGER_MIGRATION_STREAM}), names ${oldLog}.`,
    'Next: npm run cli -- audit checkpoint, then npm run cli -- check, on the new configuration. The old store and ' +
      'its log still hold personal data in clear: keep them under the old access rules, or destroy them when retention allows.',
  ].join('\n');
}

/** Shows a migration's progress: a bar in a terminal, a line now and then otherwise. */
export interface MigrationProgressView {
  update(progress: MigrationProgress): void;
  stop(): void;
}

/** Lines in a log (not a terminal): one per this many events copied or read. */
const PROGRESS_LINE_EVERY_EVENTS = 10_000;

export function progressView(output: CliOutput, terminal = process.stderr.isTTY === true): MigrationProgressView {
  if (!terminal) return progressLines(output);
  const bar = new SingleBar({
    format: '{phase} [{bar}] {value}/{total} events | {eta_formatted} left',
    stream: process.stderr,
    hideCursor: true,
    // Batches commit in bursts: an ETA over the last 50 updates stays finite and steady.
    etaBuffer: 50,
    fps: 5,
  });
  let copying = false;
  return {
    update: (now) => {
      if (now.phase === 'checking') return;
      if (!copying) bar.start(now.total, now.done, { phase: 'copying' });
      copying = true;
      bar.update(now.done);
    },
    stop: () => bar.stop(),
  };
}

function progressLines(output: CliOutput): MigrationProgressView {
  let lastLine = -1;
  let lastPhase = '';
  return {
    update: (now) => {
      const done = now.phase === 'checking' ? now.eventsRead : now.done;
      const finished = now.phase === 'copying' && now.done === now.total;
      if (now.phase === lastPhase && done - lastLine < PROGRESS_LINE_EVERY_EVENTS && !(finished && done !== lastLine))
        return;
      lastPhase = now.phase;
      lastLine = done;
      output.stderr(
        now.phase === 'checking' ? `checking old events: ${done} read` : `copying: ${done}/${now.total} events`,
      );
    },
    stop: () => undefined,
  };
}
