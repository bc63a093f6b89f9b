import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AuditLogConfig, auditLogConfigFrom } from '@salur/audit-log';
import { CliUsageError, type CliOutput, type Environment } from '@salur/config';
import {
  BackedUpFile,
  BackupManifest,
  damageOf,
  differenceOf,
  LedgerSnapshot,
  readManifest,
  UnusableBackupError,
} from './backup-manifest';
import { externalRestoreSteps } from './external-stores';
import { inspectLedger } from './ledger-check';
import { LedgerStores, ledgerStoresFrom, StoreRole } from './ledger-stores';
import { removeSideFiles, SIDE_FILE_SUFFIXES } from './sqlite-files';

export const RESTORE_USAGE = 'restore <dir> [--force]';

const STAGED_SUFFIX = '.restoring';

/**
 * `npm run cli -- restore <dir>`, the service stopped: checks every file of the backup against its
 * manifest, copies them next to where the configuration puts them, checks the copies (the audit
 * log gives its last signed checkpoint's root; that checkpoint and the events' head are the ones
 * the manifest recorded), and only then moves them into place, so a refused restore leaves the
 * current data as it was. Finally it opens the restored files as the service will and checks them
 * again. Existing files are replaced only with --force.
 */
export async function restoreCommand(
  args: readonly string[],
  env: Environment,
  output: CliOutput,
): Promise<number | void> {
  const { directory, force } = parseCommandLine(args);
  const stores = ledgerStoresFrom(env);
  const external = externalRestoreSteps(stores, directory);
  if (stores.sqlite.length === 0) {
    output.stdout(['# The ledger is not in SQLite files; restore it with:', ...external].join('\n'));
    return;
  }
  const plan = await planRestore(directory, stores, force);
  if ('refusals' in plan) return refused(output, plan.refusals);
  const audit = auditLogConfigFrom(env);
  const refusals = await replaceWithCheckedCopies(plan, audit);
  if (refusals.length > 0) return refused(output, refusals);
  const { manifest, placed } = plan;
  for (const store of stores.sqlite.filter((each) => !placed.some(({ file }) => file.role === each.role))) {
    output.stderr(`Note: the backup holds no ${store.role}; ${store.path} was left as it was`);
  }
  const check = await inspectLedger(Object.fromEntries(placed.map(({ file, target }) => [file.role, target])), audit);
  for (const warning of check.warnings) output.stderr(`Warning: ${warning}`);
  const failures = [...check.problems, ...differencesFrom(manifest, check.snapshot)];
  if (failures.length > 0) {
    for (const failure of failures) output.stderr(`RESTORE FAILED: ${failure}`);
    return 1;
  }
  output.stdout(summaryOf(directory, manifest));
  if (external.length > 0) output.stdout(['# Not restored (not SQLite); restore them with:', ...external].join('\n'));
}

function refused(output: CliOutput, reasons: readonly string[]): number {
  for (const reason of reasons) output.stderr(`Restore refused: ${reason}`);
  return 1;
}

interface RestorePlan {
  readonly directory: string;
  readonly manifest: BackupManifest;
  /** Each file of the backup and where the configuration puts it. */
  readonly placed: readonly { readonly file: BackedUpFile; readonly target: string }[];
}

/** What goes where, or why nothing may: a damaged backup, a store elsewhere, data in the way. */
async function planRestore(
  directory: string,
  stores: LedgerStores,
  force: boolean,
): Promise<RestorePlan | { refusals: string[] }> {
  let manifest: BackupManifest;
  try {
    manifest = readManifest(directory);
  } catch (error) {
    if (error instanceof UnusableBackupError) return { refusals: [error.message] };
    throw error;
  }
  const damage = await damageOf(directory, manifest.files);
  if (damage.length > 0) return { refusals: damage.map((problem) => `the backup is damaged: ${problem}`) };
  const targets = new Map(stores.sqlite.map((store) => [store.role, store.path]));
  const unplaced = manifest.files.filter((file) => !targets.has(file.role)).map((file) => file.role);
  if (unplaced.length > 0) {
    return { refusals: [`the backup holds ${unplaced.join(', ')}, which this configuration does not keep in SQLite`] };
  }
  const placed = manifest.files.map((file) => ({ file, target: targets.get(file.role) as string }));
  const existing = placed.filter(({ target }) =>
    [target, ...SIDE_FILE_SUFFIXES.map((s) => target + s)].some(existsSync),
  );
  if (existing.length > 0 && !force) {
    const paths = existing.map(({ target }) => target).join(', ');
    return { refusals: [`${paths} already exist: stop the service, then --force replaces them`] };
  }
  return { directory, manifest, placed };
}

/** Stages and checks the copies, then moves them into place; returns the reasons it refused, if any. */
async function replaceWithCheckedCopies(plan: RestorePlan, audit: AuditLogConfig): Promise<string[]> {
  const staged = await stage(plan);
  try {
    const problems = await problemsOf(staged, audit, plan.manifest);
    if (problems.length > 0) return problems;
    for (const { file, target } of plan.placed) {
      removeSideFiles(target);
      renameSync(staged.get(file.role) as string, target);
    }
    return [];
  } finally {
    for (const path of staged.values()) {
      rmSync(path, { force: true });
      removeSideFiles(path);
    }
  }
}

/** Copies each file next to its target and checks the copy's bytes: a copy is the restore's first risk. */
async function stage({ directory, placed }: RestorePlan): Promise<Map<StoreRole, string>> {
  const staged = new Map<StoreRole, string>();
  for (const { file, target } of placed) {
    const path = `${target}${STAGED_SUFFIX}`;
    mkdirSync(dirname(target), { recursive: true });
    removeSideFiles(path);
    copyFileSync(join(directory, file.file), path);
    chmodSync(path, 0o600);
    staged.set(file.role, path);
  }
  return staged;
}

async function problemsOf(
  staged: ReadonlyMap<StoreRole, string>,
  audit: AuditLogConfig,
  manifest: BackupManifest,
): Promise<string[]> {
  const problems: string[] = [];
  for (const file of manifest.files) {
    const difference = await differenceOf(staged.get(file.role) as string, file);
    if (difference !== undefined) problems.push(`the copy of ${file.file} ${difference}`);
  }
  if (problems.length > 0) return problems;
  const check = await inspectLedger(Object.fromEntries(staged), audit);
  return [...check.problems, ...differencesFrom(manifest, check.snapshot)];
}

/** Where the files read otherwise than the manifest recorded at backup time. */
function differencesFrom(manifest: BackupManifest, snapshot: LedgerSnapshot): string[] {
  const differences: string[] = [];
  if (snapshot.eventHeadPosition !== manifest.eventHeadPosition) {
    differences.push(
      `the event store's head position is ${snapshot.eventHeadPosition}, the manifest says ${manifest.eventHeadPosition}`,
    );
  }
  const read = snapshot.auditLog?.latestCheckpoint ?? null;
  const recorded = manifest.auditLog?.latestCheckpoint ?? null;
  if (read?.treeSize !== recorded?.treeSize || read?.rootHash !== recorded?.rootHash) {
    differences.push(
      `the audit log's latest signed checkpoint is ${describe(read)}, the manifest says ${describe(recorded)}`,
    );
  }
  return differences;
}

function describe(checkpoint: { treeSize: number; rootHash: string } | null): string {
  return checkpoint ? `size ${checkpoint.treeSize} root ${checkpoint.rootHash}` : 'none';
}

function summaryOf(directory: string, manifest: BackupManifest): string {
  const checkpoint = manifest.auditLog?.latestCheckpoint;
  return [
    `Restored ${manifest.files.length} files from ${directory} (${manifest.files.map((file) => file.role).join(', ')})`,
    `event head position: ${manifest.eventHeadPosition ?? 'none'}`,
    checkpoint
      ? `audit log root at the signed checkpoint of size ${checkpoint.treeSize}: ${checkpoint.rootHash}`
      : 'no signed checkpoint to check',
  ].join('; ');
}

function parseCommandLine(args: readonly string[]): { directory: string; force: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { force: { type: 'boolean' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  if (parsed.positionals.length !== 1) throw new CliUsageError('expected one argument: the backup directory');
  return { directory: resolve(parsed.positionals[0]), force: parsed.values.force === true };
}
