import { Kysely, sql } from 'kysely';
import { openDatabase, type ReadModelConfig } from '@salur/database';
import { newDataKey, unwrapDataKey, wrapDataKey } from './seal-crypto';

/** What the store holds for a subject: its data key, or the fact that it was erased. */
export type SubjectKey = Buffer | 'erased';

/**
 * The subjects' data keys, kept apart from the events. The port lets an external KMS stand in
 * (keys wrapped by the KMS instead of the master key); the embedded default is a SQL table.
 */
export interface PersonalDataKeyStore {
  /**
   * The keys of these subjects. With `create`, a subject without a key gets one (concurrent
   * creators agree on one: the first insert wins). A subject erased earlier stays erased.
   */
  keysOf(subjects: readonly string[], options: { readonly create: boolean }): Promise<ReadonlyMap<string, SubjectKey>>;
  /** Deletes the subject's key for good, leaving a tombstone. Idempotent. */
  erase(subject: string, at: string): Promise<void>;
  /** Whether the store still holds a key for the subject (the checker's erasure rule). */
  holdsKey(subject: string): Promise<boolean>;
  close(): Promise<void>;
}

interface KeyRow {
  subject: string;
  /** Null once erased. */
  wrappedKey: string | null;
  createdAt: string;
  erasedAt: string | null;
}

interface KeyTables {
  personalDataKeys: KeyRow;
}

/** Subjects per query: far under SQLite's and PostgreSQL's parameter limits. */
const SUBJECTS_PER_QUERY = 500;

export class SqlPersonalDataKeyStore implements PersonalDataKeyStore {
  private constructor(
    private readonly db: Kysely<KeyTables>,
    private readonly masterKey: Buffer,
  ) {}

  static async open(config: ReadModelConfig, masterKey: Buffer): Promise<SqlPersonalDataKeyStore> {
    const db = openDatabase<KeyTables>(config, 'key-store');
    await db.schema
      .createTable('personal_data_keys')
      .ifNotExists()
      .addColumn('subject', 'text', (column) => column.primaryKey())
      .addColumn('wrapped_key', 'text')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('erased_at', 'text')
      .execute();
    return new SqlPersonalDataKeyStore(db, masterKey);
  }

  async keysOf(subjects: readonly string[], options: { readonly create: boolean }): Promise<Map<string, SubjectKey>> {
    const distinct = [...new Set(subjects)];
    const found = new Map<string, SubjectKey>();
    for (let start = 0; start < distinct.length; start += SUBJECTS_PER_QUERY) {
      const page = distinct.slice(start, start + SUBJECTS_PER_QUERY);
      await this.readInto(found, page);
      const missing = page.filter((subject) => !found.has(subject));
      if (options.create && missing.length > 0) {
        const created = await this.createMissing(missing);
        for (const [subject, key] of created) found.set(subject, key);
        // Another process created some first (their inserts did nothing here): read back whichever key won.
        if (created.size < missing.length) await this.readInto(found, missing);
      }
    }
    return found;
  }

  private async readInto(found: Map<string, SubjectKey>, subjects: readonly string[]): Promise<void> {
    const rows = await this.db.selectFrom('personalDataKeys').selectAll().where('subject', 'in', subjects).execute();
    for (const row of rows) {
      found.set(
        row.subject,
        row.wrappedKey === null ? 'erased' : unwrapDataKey(this.masterKey, row.subject, row.wrappedKey),
      );
    }
  }

  /**
   * Inserts a new key for each subject, leaving a key someone else inserted first. Answers the
   * new keys when every insert took (the usual case: an enrolment), none when any did not: which
   * ones then is known only by reading back.
   */
  private async createMissing(subjects: readonly string[]): Promise<Map<string, Buffer>> {
    const createdAt = new Date().toISOString();
    const keys = new Map(subjects.map((subject) => [subject, newDataKey()]));
    const rows = subjects.map((subject) => ({
      subject,
      wrappedKey: wrapDataKey(this.masterKey, subject, keys.get(subject) as Buffer),
      createdAt,
      erasedAt: null,
    }));
    const result = await this.db
      .insertInto('personalDataKeys')
      .values(rows)
      .onConflict((conflict) => conflict.column('subject').doNothing())
      .executeTakeFirst();
    // Both dialects count only the rows inserted (a conflict that did nothing is not counted).
    return result.numInsertedOrUpdatedRows === BigInt(rows.length) ? keys : new Map();
  }

  async erase(subject: string, at: string): Promise<void> {
    await this.db
      .insertInto('personalDataKeys')
      .values({ subject, wrappedKey: null, createdAt: at, erasedAt: at })
      .onConflict((conflict) =>
        conflict
          .column('subject')
          .doUpdateSet({ wrappedKey: null, erasedAt: sql`coalesce(personal_data_keys.erased_at, ${at})` }),
      )
      .execute();
  }

  async holdsKey(subject: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('personalDataKeys')
      .select('wrappedKey')
      .where('subject', '=', subject)
      .executeTakeFirst();
    return row !== undefined && row.wrappedKey !== null;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
