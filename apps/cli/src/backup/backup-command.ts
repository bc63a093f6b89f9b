import { chmodSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { auditLogConfigFrom } from '@salur/audit-log';
import { CliUsageError, type CliOutput, type Environment } from '@salur/config';
import { writeOwnerOnlyFile } from '../owner-only-file';
import {
  BACKUP_FORMAT,
  BackedUpFile,
  BackupManifest,
  damageOf,
  describeFile,
  MANIFEST_FILE,
  readManifest,
} from './backup-manifest';
import { externalBackupSteps } from './external-stores';
import { inspectLedger } from './ledger-check';
import { backupFileName, LedgerStores, ledgerStoresFrom, SqliteStore, StoreRole } from './ledger-stores';
import { copyOnline, makeSelfContained } from './sqlite-files';

export const BACKUP_USAGE = 'backup <dir>';

/**
 * `npm run cli -- backup <dir>`: copies every SQLite file of the configuration into <dir> while
 * the service runs (SQLite's online backup), checks the copies (the audit log gives its signed
 * root, it is not ahead of the events), and writes manifest.json: each file's size and SHA-256,
 * the events' head position and the latest signed checkpoint; then reads the manifest back and
 * checks the files against it. Stores kept in PostgreSQL or EventStoreDB get the commands to run.
 */
export async function backupCommand(
  args: readonly string[],
  env: Environment,
  output: CliOutput,
  now: () => Date = () => new Date(),
): Promise<number | void> {
  const directory = resolve(parseCommandLine(args));
  const stores = ledgerStoresFrom(env);
  const external = externalBackupSteps(stores, directory);
  if (stores.sqlite.length === 0) {
    output.stdout(['# The ledger is not in SQLite files; back it up with:', ...external].join('\n'));
    return;
  }
  const present = presentStores(stores, directory, output);
  if (present === undefined) return 1;
  const copies = await copyInto(directory, present);
  const inspected = await inspectLedger(Object.fromEntries(copies), auditLogConfigFrom(env));
  for (const warning of inspected.warnings) output.stderr(`Warning: ${warning}`);
  if (inspected.problems.length > 0) {
    for (const problem of inspected.problems) output.stderr(`Backup refused: ${problem}`);
    output.stderr(`${directory} holds the copies that were refused: delete it`);
    return 1;
  }
  const files = await sealCopies(directory, present);
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    createdAt: now().toISOString(),
    files,
    ...inspected.snapshot,
  };
  writeOwnerOnlyFile(join(directory, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, false);
  // Read back as a restore will read it: a backup is only done once it has been checked.
  const damage = await damageOf(directory, readManifest(directory).files);
  if (damage.length > 0) {
    for (const problem of damage) output.stderr(`Backup failed its check: ${problem}`);
    return 1;
  }
  output.stdout(summaryOf(directory, manifest));
  if (external.length > 0) output.stdout(['# Not copied (not SQLite); back them up with:', ...external].join('\n'));
}

/** The stores whose files exist; undefined (said on stderr) when there is no ledger or no place to copy it. */
function presentStores(stores: LedgerStores, directory: string, output: CliOutput): SqliteStore[] | undefined {
  const present = stores.sqlite.filter((store) => existsSync(store.path));
  const events = stores.sqlite.find((store) => store.role === 'event-store');
  if (present.length === 0 || (events !== undefined && !present.includes(events))) {
    const where = (events ?? stores.sqlite[0]).path;
    output.stderr(`No ledger at ${where}: nothing to back up (is SQLITE_PATH set as the service has it?)`);
    return undefined;
  }
  if (existsSync(directory) && readdirSync(directory).length > 0) {
    output.stderr(`${directory} is not empty: a backup goes into a new or empty directory`);
    return undefined;
  }
  for (const store of stores.sqlite.filter((each) => !present.includes(each))) {
    output.stderr(`No ${store.role} file at ${store.path}: nothing to copy`);
  }
  return present;
}

/** One online copy per store, in ledgerStoresFrom's order (the order is what makes them agree). */
async function copyInto(directory: string, stores: readonly SqliteStore[]): Promise<Map<StoreRole, string>> {
  // The copies hold every event and the subjects' wrapped keys: for their owner's eyes only.
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const copies = new Map<StoreRole, string>();
  for (const store of stores) {
    const copy = join(directory, backupFileName(store.role));
    await copyOnline(store.path, copy);
    chmodSync(copy, 0o600);
    copies.set(store.role, copy);
  }
  return copies;
}

/** Each copy made one self-contained file, then sized and hashed for the manifest. */
async function sealCopies(directory: string, stores: readonly SqliteStore[]): Promise<BackedUpFile[]> {
  const files: BackedUpFile[] = [];
  for (const store of stores) {
    makeSelfContained(join(directory, backupFileName(store.role)));
    files.push(await describeFile(directory, store.role, backupFileName(store.role), store.path));
  }
  return files;
}

function summaryOf(directory: string, manifest: BackupManifest): string {
  const checkpoint = manifest.auditLog?.latestCheckpoint;
  return [
    `Backed up ${manifest.files.length} files to ${directory} (${manifest.files.map((file) => file.role).join(', ')})`,
    `event head position: ${manifest.eventHeadPosition ?? 'none'}`,
    checkpoint
      ? `latest signed checkpoint: size ${checkpoint.treeSize}, root ${checkpoint.rootHash}`
      : 'no signed checkpoint',
  ].join('; ');
}

function parseCommandLine(args: readonly string[]): string {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: {}, strict: true, allowPositionals: true });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  if (parsed.positionals.length !== 1) throw new CliUsageError('expected one argument: the backup directory');
  return parsed.positionals[0];
}
