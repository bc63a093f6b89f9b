import Database from 'better-sqlite3';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  auditCheckpointCommand,
  auditDatabaseFrom,
  generateNoteKey,
  MerkleLogStore,
  openAuditLogDatabase,
  openCheckpoint,
  parseVerifierKey,
} from '@salur/audit-log';
import type { CliOutput } from '@salur/config';
import { openDatabase, readModelConfigFrom } from '@salur/database';
import { eventStoreConfigFrom, SqliteEventStore } from '@salur/event-store';
import { idempotencyDatabaseFrom, openIdempotencyDatabase } from '@salur/http';
import { personalDataConfigFrom, SqlPersonalDataKeyStore } from '@salur/personal-data';
import { backupCommand } from '../../apps/cli/src/backup/backup-command';
import { BackupManifest, MANIFEST_FILE, sha256OfFile } from '../../apps/cli/src/backup/backup-manifest';
import { restoreCommand } from '../../apps/cli/src/backup/restore-command';
import { appendNoise, beneficiary, recordRound } from '../audit-log/support/ledger-history';

const ORIGIN = 'ledger.example.go.id/salur';
const KEY = generateNoteKey(ORIGIN);
const ALL_ROLES = ['read-models', 'audit-log', 'idempotency-store', 'event-store', 'key-store'];

/** Runs a command in this process, collecting what it prints. */
async function run(command: (output: CliOutput) => Promise<number | void>) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await command({ stdout: (text) => stdout.push(text), stderr: (text) => stderr.push(text) });
  return { code: code ?? 0, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

const envAt = (directory: string) => ({
  SQLITE_PATH: join(directory, 'salur.db'),
  CHECKPOINT_ORIGIN: ORIGIN,
  CHECKPOINT_SIGNING_KEY: KEY.signerKey,
});

/**
 * A small ledger with every SQLite file the embedded default keeps: events (a paid round and
 * noise), the audit log caught up and signed by `audit checkpoint`, the subjects' keys, the
 * idempotency records and a read model. More events follow the checkpoint, so the log's head is
 * past its signed size and the events' past the log's.
 */
async function buildLedger(env: Record<string, string>): Promise<SqliteEventStore> {
  const store = new SqliteEventStore({ path: env.SQLITE_PATH });
  await appendNoise(store, 3);
  await recordRound(store, [
    { beneficiaryId: beneficiary(7), amount: '600000.00', outcome: { credited: '600000.00' } },
  ]);
  const signed = await run((output) => auditCheckpointCommand([], env, output));
  expect(signed.code).toBe(0);
  const personalData = personalDataConfigFrom(env);
  const keys = await SqlPersonalDataKeyStore.open(personalData.keyDatabase, personalData.masterKey);
  await keys.keysOf(['subject-1', 'subject-2'], { create: true });
  await keys.close();
  await (await openIdempotencyDatabase(idempotencyDatabaseFrom(env))).destroy();
  const readModels = openDatabase<{ batches: { id: string } }>(readModelConfigFrom(env, eventStoreConfigFrom(env)));
  await readModels.schema.createTable('batches').addColumn('id', 'text').execute();
  await readModels.insertInto('batches').values({ id: 'batch-1' }).execute();
  await readModels.destroy();
  await appendNoise(store, 2);
  return store;
}

/** The restored log's root at the signed size, recomputed from its Merkle store, and the signed checkpoint. */
async function restoredLog(env: Record<string, string>, manifest: BackupManifest) {
  const note = manifest.auditLog?.latestCheckpoint?.note as string;
  const { checkpoint } = openCheckpoint(note, parseVerifierKey(KEY.vkey), ORIGIN);
  const db = openAuditLogDatabase(auditDatabaseFrom(env));
  try {
    return { checkpoint, root: await new MerkleLogStore(db).root(checkpoint.size) };
  } finally {
    await db.destroy();
  }
}

async function headOf(path: string): Promise<number | undefined> {
  const store = new SqliteEventStore({ path });
  try {
    return await store.headPosition();
  } finally {
    await store.close();
  }
}

const readManifestAt = (directory: string) =>
  JSON.parse(readFileSync(join(directory, MANIFEST_FILE), 'utf8')) as BackupManifest;

describe('npm run cli -- backup / restore (SQLite)', () => {
  let directory: string;
  let backup: string;
  let liveHead: number | undefined;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'salur-operations-'));
    backup = join(directory, 'backup');
    const store = await buildLedger(envAt(join(directory, 'live')));
    try {
      liveHead = await store.headPosition();
      // Online: the store stays open, its latest events still in its write-ahead log.
      const backedUp = await run((output) => backupCommand([backup], envAt(join(directory, 'live')), output));
      expect(backedUp).toMatchObject({ code: 0, stderr: '' });
      expect(backedUp.stdout).toMatch(
        /^Backed up 5 files to .*; event head position: \d+; latest signed checkpoint: size \d+/,
      );
    } finally {
      await store.close();
    }
  });

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('writes a manifest of every SQLite file, with sizes, SHA-256, the event head and the signed checkpoint', async () => {
    const manifest = readManifestAt(backup);

    expect(manifest.files.map((file) => file.role)).toEqual(ALL_ROLES);
    for (const file of manifest.files) {
      expect(statSync(join(backup, file.file)).size).toBe(file.bytes);
      expect(await sha256OfFile(join(backup, file.file))).toBe(file.sha256);
      expect(statSync(join(backup, file.file)).mode & 0o777).toBe(0o600);
    }
    expect(manifest.eventHeadPosition).toBe(liveHead);
    const checkpoint = manifest.auditLog?.latestCheckpoint;
    expect(checkpoint?.treeSize).toBeGreaterThan(0);
    expect(checkpoint?.treeSize).toBeLessThan(liveHead as number);
  });

  it('restores into a fresh directory: the log gives its last signed root, the event head matches', async () => {
    const env = envAt(join(directory, 'restored'));

    const restored = await run((output) => restoreCommand([backup], env, output));

    expect(restored).toMatchObject({ code: 0, stderr: '' });
    const manifest = readManifestAt(backup);
    const { checkpoint, root } = await restoredLog(env, manifest);
    expect(checkpoint.size).toBe(manifest.auditLog?.latestCheckpoint?.treeSize);
    expect(root.equals(checkpoint.rootHash)).toBe(true);
    expect(await headOf(env.SQLITE_PATH)).toBe(liveHead);
    const readModels = new Database(join(directory, 'restored', 'salur-read.db'), { readonly: true });
    expect(readModels.prepare('SELECT id FROM batches').all()).toEqual([{ id: 'batch-1' }]);
    readModels.close();
  });

  it('refuses to overwrite existing data without --force, and replaces it with --force', async () => {
    const env = envAt(join(directory, 'restored-twice'));
    expect((await run((output) => restoreCommand([backup], env, output))).code).toBe(0);

    const again = await run((output) => restoreCommand([backup], env, output));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /^Restore refused: .*salur\.db.* already exist: stop the service, then --force replaces them$/,
    );

    const forced = await run((output) => restoreCommand([backup, '--force'], env, output));
    expect(forced).toMatchObject({ code: 0, stderr: '' });
    expect(await headOf(env.SQLITE_PATH)).toBe(liveHead);
  });

  it('refuses a backup with one byte changed, touching nothing', async () => {
    const tampered = join(directory, 'tampered-byte');
    cpSync(backup, tampered, { recursive: true });
    const file = join(tampered, 'event-store.db');
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    writeFileSync(file, bytes);
    const env = envAt(join(directory, 'from-tampered-byte'));

    const restored = await run((output) => restoreCommand([tampered], env, output));

    expect(restored.code).toBe(1);
    expect(restored.stderr).toBe(
      'Restore refused: the backup is damaged: event-store.db does not have the SHA-256 the manifest gives',
    );
    expect(existsSync(env.SQLITE_PATH)).toBe(false);
  });

  it('refuses a backup whose audit log no longer gives its signed root, even with a manifest to match', async () => {
    const tampered = join(directory, 'tampered-log');
    cpSync(backup, tampered, { recursive: true });
    const file = join(tampered, 'audit-log.db');
    const log = new Database(file);
    log.prepare('UPDATE audit_log_nodes SET hash = randomblob(32)').run();
    log.prepare('UPDATE audit_log_leaves SET leaf_hash = randomblob(32)').run();
    log.close();
    const manifest = readManifestAt(tampered);
    const files = await Promise.all(
      manifest.files.map(async (entry) =>
        entry.file === 'audit-log.db'
          ? { ...entry, bytes: statSync(file).size, sha256: await sha256OfFile(file) }
          : entry,
      ),
    );
    writeFileSync(join(tampered, MANIFEST_FILE), JSON.stringify({ ...manifest, files }));
    const env = envAt(join(directory, 'from-tampered-log'));

    const restored = await run((output) => restoreCommand([tampered], env, output));

    expect(restored.code).toBe(1);
    expect(restored.stderr).toMatch(
      /^Restore refused: the audit log's root at size \d+ is \S+, not \S+ as its last signed checkpoint says: the log was altered$/,
    );
    expect(existsSync(env.SQLITE_PATH)).toBe(false);
  });

  it('refuses a directory that is not empty, and one that is not a backup', async () => {
    const env = envAt(join(directory, 'live'));
    expect((await run((output) => backupCommand([backup], env, output))).code).toBe(1);
    const restored = await run((output) =>
      restoreCommand([join(directory, 'live')], envAt(join(directory, 'x')), output),
    );
    expect(restored.code).toBe(1);
    expect(restored.stderr).toMatch(/manifest\.json does not exist: not a backup made by this command/);
  });
});

describe('npm run cli -- backup / restore (PostgreSQL)', () => {
  const env = { EVENT_STORE: 'postgres', DATABASE_URL: 'postgres://salur:s3cret@db.internal:5432/salur' };

  it('prints the pg_dump command for the configured database, without its password, and copies nothing', async () => {
    const backedUp = await run((output) => backupCommand(['/var/backups/salur'], env, output));

    expect(backedUp.code).toBe(0);
    expect(backedUp.stdout).toContain(
      "pg_dump --format=custom --file='/var/backups/salur/postgres-salur.dump' 'postgres://salur@db.internal:5432/salur'",
    );
    expect(backedUp.stdout).not.toContain('s3cret');
    expect(existsSync('/var/backups/salur')).toBe(false);
  });

  it('prints the pg_restore command and the checks to run after it', async () => {
    const restored = await run((output) => restoreCommand(['/var/backups/salur'], env, output));

    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(
      "pg_restore --exit-on-error --no-owner --dbname='postgres://salur@db.internal:5432/salur' '/var/backups/salur/postgres-salur.dump'",
    );
    expect(restored.stdout).toContain('npm run cli -- check');
    expect(restored.stdout).toContain('npm run cli -- audit checkpoint');
  });
});
