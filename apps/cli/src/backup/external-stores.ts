import { join } from 'node:path';
import type { LedgerStores } from './ledger-stores';

/**
 * What an operator runs for the stores this command does not copy. PostgreSQL is dumped and
 * restored with its own tools rather than by this command shelling out to them: pg_dump takes
 * the consistent snapshot, knows the server's version and asks for the password; run by hand
 * (or by the operator's scheduler) its prompts, errors and exit code stay the operator's to see.
 * The password is never printed: pg_dump takes it from PGPASSWORD or ~/.pgpass.
 */
export function externalBackupSteps(stores: LedgerStores, directory: string): string[] {
  const lines: string[] = [];
  for (const database of stores.postgres) {
    lines.push(
      `# PostgreSQL (${database.roles.join(', ')}): a consistent dump while the service runs`,
      `pg_dump --format=custom --file=${shellQuoted(dumpPath(directory, database.url))} ${shellQuoted(withoutPassword(database.url))}`,
    );
  }
  if (stores.eventStoreDbUrl !== undefined) lines.push(...EVENTSTOREDB_BACKUP);
  return lines;
}

export function externalRestoreSteps(stores: LedgerStores, directory: string): string[] {
  const lines: string[] = [];
  for (const database of stores.postgres) {
    lines.push(
      `# PostgreSQL (${database.roles.join(', ')}): into an empty database (createdb first), the service stopped`,
      `pg_restore --exit-on-error --no-owner --dbname=${shellQuoted(withoutPassword(database.url))} ${shellQuoted(dumpPath(directory, database.url))}`,
    );
  }
  if (stores.eventStoreDbUrl !== undefined) lines.push(...EVENTSTOREDB_RESTORE);
  if (lines.length > 0) lines.push(...CHECKS_AFTER_RESTORE);
  return lines;
}

const EVENTSTOREDB_BACKUP = [
  '# EventStoreDB (event-store): back up its data directory with its own procedure',
  '# (a file-system snapshot, or a copy of the chunks in the order its "Backup and restore" docs give).',
];

const EVENTSTOREDB_RESTORE = [
  '# EventStoreDB (event-store): restore its data directory by its "Backup and restore" procedure.',
];

/** The checker reads only; `audit checkpoint` catches the log up and signs, refusing a log that lost its signed root. */
const CHECKS_AFTER_RESTORE = [
  '# Then check, before starting the service:',
  '#   every invariant over the events and the read models:',
  'npm run cli -- check',
  "#   the audit log still gives its last signed checkpoint's root (it refuses to sign otherwise):",
  'npm run cli -- audit checkpoint',
];

function dumpPath(directory: string, url: string): string {
  const name = new URL(url).pathname.replace(/^\//, '') || 'postgres';
  return join(directory, `postgres-${name.replace(/[^A-Za-z0-9_-]/g, '_')}.dump`);
}

function withoutPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  return parsed.toString();
}

function shellQuoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
