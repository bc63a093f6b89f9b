import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { StoreRole } from './ledger-stores';

export const MANIFEST_FILE = 'manifest.json';
export const BACKUP_FORMAT = 'salur-backup/v1';
/** A manifest is a few hundred bytes; anything far larger is not one. */
const MAX_MANIFEST_BYTES = 1_048_576;

export interface BackedUpFile {
  readonly role: StoreRole;
  /** Its name inside the backup directory. */
  readonly file: string;
  /** Where it was copied from, for the operator's eyes: a restore writes where the configuration says. */
  readonly sourcePath: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface SignedCheckpointRecord {
  readonly treeSize: number;
  /** base64, as in the signed note. */
  readonly rootHash: string;
  /** The signed note, the log's signature only. */
  readonly note: string;
}

/** What the copies held when they were checked, so a restore can check it got the same. */
export interface LedgerSnapshot {
  /** Position of the last event in the copied event store; null when it is empty. */
  readonly eventHeadPosition: number | null;
  readonly auditLog: {
    readonly treeSize: number;
    /** Position of the last logged event; −1 when the log is empty. */
    readonly position: number;
    readonly latestCheckpoint: SignedCheckpointRecord | null;
  } | null;
}

export interface BackupManifest extends LedgerSnapshot {
  readonly format: typeof BACKUP_FORMAT;
  readonly createdAt: string;
  readonly files: readonly BackedUpFile[];
}

/** The backup is not one this command can restore: its manifest is missing or malformed. */
export class UnusableBackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnusableBackupError';
  }
}

/** Streams the file: a ledger's files may be far larger than memory. */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function describeFile(
  directory: string,
  role: StoreRole,
  file: string,
  sourcePath: string,
): Promise<BackedUpFile> {
  const path = join(directory, file);
  return { role, file, sourcePath, bytes: statSync(path).size, sha256: await sha256OfFile(path) };
}

export function readManifest(directory: string): BackupManifest {
  const path = join(directory, MANIFEST_FILE);
  if (!existsSync(path)) throw new UnusableBackupError(`${path} does not exist: not a backup made by this command`);
  if (statSync(path).size > MAX_MANIFEST_BYTES) throw new UnusableBackupError(`${path} is too large to be a manifest`);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as BackupManifest;
  } catch (error) {
    throw new UnusableBackupError(`${path} is not JSON: ${(error as Error).message}`);
  }
  if (manifest?.format !== BACKUP_FORMAT || !Array.isArray(manifest.files)) {
    throw new UnusableBackupError(`${path} is not a ${BACKUP_FORMAT} manifest`);
  }
  for (const file of manifest.files) {
    // A file name from the manifest is joined to the directory: no path may lead out of it.
    if (typeof file?.file !== 'string' || !/^[a-z-]+\.db$/.test(file.file)) {
      throw new UnusableBackupError(`${path} names a file '${String(file?.file)}' this command never writes`);
    }
  }
  return manifest;
}

/** Every way the files differ from the manifest (missing, another size, another SHA-256); none: intact. */
export async function damageOf(directory: string, files: readonly BackedUpFile[]): Promise<string[]> {
  const damage: string[] = [];
  for (const file of files) {
    const found = await differenceOf(join(directory, file.file), file);
    if (found !== undefined) damage.push(`${file.file} ${found}`);
  }
  return damage;
}

/** How the file at `path` differs from what the manifest says of it, or undefined when it does not. */
export async function differenceOf(path: string, expected: BackedUpFile): Promise<string | undefined> {
  if (!existsSync(path)) return 'is missing';
  const bytes = statSync(path).size;
  if (bytes !== expected.bytes) return `has ${bytes} bytes, the manifest says ${expected.bytes}`;
  if ((await sha256OfFile(path)) !== expected.sha256) return 'does not have the SHA-256 the manifest gives';
  return undefined;
}
