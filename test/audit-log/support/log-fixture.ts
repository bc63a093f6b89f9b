import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { Client } from 'pg';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuditLogDatabase,
  AuditLogWriter,
  CheckpointService,
  generateNoteKey,
  MerkleLogStore,
  migrateAuditLog,
  NoteSignerKey,
  openAuditLogDatabase,
  parseSignerKey,
  ProofService,
} from '@salur/audit-log';
import { EventStore, PostgresEventStore, SqliteEventStore } from '@salur/event-store';
import { createFreshDatabase, FreshDatabase } from '../../support/postgres';

export type Dialect = 'sqlite' | 'postgres';
export const ORIGIN = 'salur.example/ledger';

/** An event store and an audit log on it, in a temp directory (SQLite) or a fresh database (PostgreSQL). */
export interface LogFixture {
  readonly dialect: Dialect;
  readonly directory: string;
  readonly store: EventStore;
  readonly db: AuditLogDatabase;
  readonly log: MerkleLogStore;
  readonly writer: AuditLogWriter;
  readonly checkpoints: CheckpointService;
  readonly proofs: ProofService;
  readonly key: NoteSignerKey;
  /** Runs SQL straight on the event store's database, as an intruder would (`?` placeholders). */
  eventsSql(statement: string, params: readonly unknown[]): Promise<number>;
  /** A second handle on the same log tables: another process. */
  openAnotherDatabase(): AuditLogDatabase;
  close(): Promise<void>;
}

export async function openLogFixture(
  dialect: Dialect,
  key = parseSignerKey(generateNoteKey(ORIGIN).signerKey),
): Promise<LogFixture> {
  const directory = mkdtempSync(join(tmpdir(), 'salur-audit-'));
  let database: FreshDatabase | undefined;
  let store: EventStore;
  if (dialect === 'postgres') {
    database = await createFreshDatabase('audit');
    store = await PostgresEventStore.connect({ connectionString: database.url });
  } else {
    store = new SqliteEventStore({ path: join(directory, 'events.db') });
  }
  const config = {
    dialect,
    sqlitePath: join(directory, 'read.db'),
    postgresUrl: database?.url ?? 'postgres://unused/x',
  };
  const db = openAuditLogDatabase(config);
  await migrateAuditLog(db, dialect);
  const log = new MerkleLogStore(db);
  const checkpoints = new CheckpointService(log, { origin: ORIGIN, key, witnesses: [] });
  const others: AuditLogDatabase[] = [];
  return {
    dialect,
    directory,
    store,
    db,
    log,
    writer: new AuditLogWriter(log),
    checkpoints,
    proofs: new ProofService(log, checkpoints),
    key,
    eventsSql: async (statement, params) => {
      if (!database) {
        const raw = new Database(join(directory, 'events.db'));
        try {
          return raw.prepare(statement).run(...params).changes;
        } finally {
          raw.close();
        }
      }
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        let n = 0;
        return (
          (
            await client.query(
              statement.replace(/\?/g, () => `$${++n}`),
              [...params],
            )
          ).rowCount ?? 0
        );
      } finally {
        await client.end();
      }
    },
    openAnotherDatabase: () => {
      const other = openAuditLogDatabase(config);
      others.push(other);
      return other;
    },
    close: async () => {
      for (const other of others) await other.destroy();
      await db.destroy();
      await store.close();
      await database?.drop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export const VERIFIER = join(__dirname, '../../../tools/salur-verify.js');

export interface VerifierRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs tools/salur-verify.js as an inspector would: a separate Node process. */
export function runVerifier(args: readonly string[]): Promise<VerifierRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [VERIFIER, ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() });
    });
  });
}

export function writeJson(directory: string, name: string, value: unknown): string {
  const path = join(directory, name);
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
}

export function writeText(directory: string, name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}
