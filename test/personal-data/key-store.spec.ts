import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadModelConfig } from '@salur/database';
import { SqlPersonalDataKeyStore, type SubjectKey } from '@salur/personal-data';
import { createFreshDatabase, type FreshDatabase } from '../support/postgres';

/**
 * The key store on both dialects: a creator that finds a key already there (another process was
 * first) must use that key, never the one it tried to insert, or it would seal with a key nobody
 * else holds. The store trusts the insert's row count to know whether all of its keys took.
 */
describe.each(['sqlite', 'postgres'] as const)('SqlPersonalDataKeyStore on %s', (dialect) => {
  let database: FreshDatabase | undefined;
  let directory: string | undefined;
  let config: ReadModelConfig;
  const masterKey = randomBytes(32);
  let first: SqlPersonalDataKeyStore;
  let second: SqlPersonalDataKeyStore;

  beforeAll(async () => {
    if (dialect === 'postgres') {
      database = await createFreshDatabase('key_store');
      config = { dialect: 'postgres', sqlitePath: ':memory:', postgresUrl: database.url };
    } else {
      // Two stores on one file stand for two processes.
      directory = mkdtempSync(join(tmpdir(), 'salur-key-store-'));
      config = { dialect: 'sqlite', sqlitePath: join(directory, 'keys.db'), postgresUrl: '' };
    }
    first = await SqlPersonalDataKeyStore.open(config, masterKey);
    second = await SqlPersonalDataKeyStore.open(config, masterKey);
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.drop();
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  });

  const keyOf = (keys: ReadonlyMap<string, SubjectKey>, subject: string) => keys.get(subject) as Buffer;

  it('gives two creators racing for the same subjects the same keys', async () => {
    // Both read before either inserts: one insert takes, the other does nothing and must read back.
    const subjects = ['subject-a', 'subject-b'];
    const [mine, theirs] = await Promise.all([
      first.keysOf(subjects, { create: true }),
      second.keysOf(subjects, { create: true }),
    ]);
    for (const subject of subjects) {
      expect(keyOf(mine, subject)).toHaveLength(32);
      expect(keyOf(mine, subject).equals(keyOf(theirs, subject))).toBe(true);
    }
  });

  it('reads back every key of an insert of which only some rows took', async () => {
    // The first creator inserts subject-i between the second's read and its insert of i and j.
    const [theirs, mine] = await Promise.all([
      first.keysOf(['subject-i'], { create: true }),
      second.keysOf(['subject-i', 'subject-j'], { create: true }),
    ]);
    const stored = await first.keysOf(['subject-i', 'subject-j'], { create: false });
    expect(keyOf(mine, 'subject-i').equals(keyOf(theirs, 'subject-i'))).toBe(true);
    expect(keyOf(mine, 'subject-j').equals(keyOf(stored, 'subject-j'))).toBe(true);
  });

  it('answers the new keys of a page it created whole, as stored', async () => {
    const subjects = ['subject-c', 'subject-d', 'subject-e'];
    const created = await first.keysOf(subjects, { create: true });
    const stored = await second.keysOf(subjects, { create: false });
    for (const subject of subjects) expect(keyOf(created, subject).equals(keyOf(stored, subject))).toBe(true);
  });

  it('keeps an erased subject erased, even to a creator', async () => {
    await first.keysOf(['subject-f'], { create: true });
    await first.erase('subject-f', '2026-12-05T00:00:00.000Z');
    expect((await second.keysOf(['subject-f', 'subject-g'], { create: true })).get('subject-f')).toBe('erased');
    expect(await second.holdsKey('subject-f')).toBe(false);
    expect(await second.holdsKey('subject-g')).toBe(true);
  });
});
