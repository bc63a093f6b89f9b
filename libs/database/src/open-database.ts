import Database from 'better-sqlite3';
import { DependencyUnavailableError, reasonOf, type DependencyName } from '@salur/config';
import { isConnectionLost } from '@salur/event-store';
import {
  CamelCasePlugin,
  Kysely,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  SqliteDatabase,
  SqliteDialect,
} from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Pool, types } from 'pg';
import type { ReadModelConfig } from './database.config';

const POSTGRES_POOL_SIZE = 10;
const SQLITE_BUSY_TIMEOUT_MS = 5_000;
const SQLITE_KEPT_STATEMENTS = 32;
const POSTGRES_INT8_OID = 20;

/**
 * Opens the SQL database of the read models (and of whatever else keeps rows beside the log:
 * the Merkle log on PostgreSQL), SQLite or PostgreSQL, with camelCase names in code and
 * snake_case in SQL. Rows look the same from both dialects.
 */
export function openDatabase<Tables>(
  config: ReadModelConfig,
  dependency: DependencyName = 'read-models',
): Kysely<Tables> {
  const dialect =
    config.dialect === 'sqlite' ? sqliteDialect(config.sqlitePath) : postgresDialect(config.postgresUrl, dependency);
  return new Kysely<Tables>({ dialect, plugins: [new CamelCasePlugin()] });
}

function sqliteDialect(path: string): SqliteDialect {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new Database(path);
  database.pragma('journal_mode = WAL');
  // A read model can always be rebuilt from the events, and WAL commits stay atomic after a
  // crash at NORMAL: rows and checkpoint roll back together. FULL's fsync per commit buys nothing.
  database.pragma('synchronous = NORMAL');
  database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  return new SqliteDialect({ database: reusingStatements(database) });
}

/**
 * Kysely prepares every statement it sends; the engine's multi-row upserts repeat the same text
 * thousands of times in a rebuild, and preparing one costs as much as running it. Statements that
 * return no rows are kept (the last SQLITE_KEPT_STATEMENTS): they run to completion at once, so
 * one is never in use twice. Those returning rows may be iterated, and are prepared each time.
 */
function reusingStatements(database: Database.Database): SqliteDatabase {
  const kept = new Map<string, Database.Statement>();
  return {
    close: () => database.close(),
    prepare(text: string) {
      const known = kept.get(text);
      if (known !== undefined) return known;
      const statement = database.prepare(text);
      if (statement.reader) return statement;
      if (kept.size >= SQLITE_KEPT_STATEMENTS) kept.delete(kept.keys().next().value as string);
      kept.set(text, statement);
      return statement;
    },
  };
}

function postgresDialect(connectionString: string, dependency: DependencyName): PostgresDialect {
  const pool = new Pool({
    connectionString,
    max: POSTGRES_POOL_SIZE,
    // BIGINT (positions, counts) comes back as a number, as SQLite returns it, so rows look the
    // same from both dialects. Positions stay below 2^53 (see the event-store port). Only this
    // pool is affected: pg's global parsers, which the event store uses, are left alone.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === POSTGRES_INT8_OID && format !== 'binary'
          ? (value: string) => Number(value)
          : types.getTypeParser(oid, format)) as typeof types.getTypeParser,
    },
  });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  // Nor a client in use (a transaction's): node-postgres emits 'error' on it when its socket ends,
  // and an 'error' event without a listener throws. Its query fails; the pool drops it on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return new PostgresDialect({ pool: guardedPool(pool, dependency) });
}

/**
 * The pool as Kysely sees it: a server that cannot be reached (refused, reset, shut down, no
 * connection within the pool's wait) becomes DependencyUnavailableError, which the API answers
 * 503 naming the database, instead of node-postgres' own error reaching the caller as a 500.
 */
function guardedPool(pool: Pool, dependency: DependencyName): PostgresPool {
  const translate = (error: unknown): never => {
    if (error instanceof DependencyUnavailableError || !isUnreachable(error)) throw error;
    throw new DependencyUnavailableError(dependency, `postgres: ${reasonOf(error)}`, { cause: error });
  };
  return {
    connect: async (): Promise<PostgresPoolClient> => {
      const client = await pool.connect().catch(translate);
      return {
        query: ((text: string, parameters: ReadonlyArray<unknown>) =>
          client.query(text, parameters as unknown[]).catch(translate)) as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy),
      };
    },
    end: () => pool.end(),
  };
}

function isUnreachable(error: unknown): boolean {
  return (
    isConnectionLost(error) ||
    (error instanceof Error && /timeout exceeded when trying to connect/i.test(error.message))
  );
}
