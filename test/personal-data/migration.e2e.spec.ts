import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AuditLogWriter, MerkleLogStore, migrateAuditLog, openAuditLogDatabase } from '@salur/audit-log';
import type { CliOutput, Environment } from '@salur/config';
import { type EventStore, PostgresEventStore, type RecordedEvent, SqliteEventStore } from '@salur/event-store';
import { checkLedger } from '@salur/invariants';
import {
  LEDGER_MIGRATION_STREAM,
  LEDGER_PERSONAL_DATA,
  LEDGER_PROJECTIONS,
  migratePersonalData,
  migratePersonalDataCommand,
  type MigrationProgressView,
  PERSONAL_DATA_MIGRATION_VERSION,
  progressView,
  readOldCheckpoint,
} from '@salur/ledger';
import { openSealingEventStore, personalDataConfigFrom } from '@salur/personal-data';
import { projectInMemory } from '@salur/projections';
import { createFreshDatabase, type FreshDatabase } from '../support/postgres';
import {
  CLEAR_VALUES,
  OLD_ORIGIN,
  type OldLedger,
  signOldLog,
  writeOldEvents,
  writeOldLedger,
} from './support/old-ledger';

const SILENT: MigrationProgressView = { update: () => undefined, stop: () => undefined };

interface Captured extends CliOutput {
  readonly out: string[];
  readonly err: string[];
}

function captured(): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (text) => out.push(text), stderr: (text) => err.push(text) };
}

async function all(events: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const read: RecordedEvent[] = [];
  for await (const event of events) read.push(event);
  return read;
}

async function eventsAt(path: string): Promise<RecordedEvent[]> {
  const store = new SqliteEventStore({ path });
  try {
    return await all(store.readAll());
  } finally {
    await store.close();
  }
}

/** An old-ledger event as the new one must hold it: everything but the store's own position and time. */
const identity = (event: RecordedEvent) => [event.id, event.streamName, event.revision, event.type];

describe('migrating a ledger written before personal data was sealed (issue 18)', () => {
  let directory: string;
  let old: OldLedger;
  let newEventsPath: string;
  let env: Environment;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'salur-migration-'));
    old = await writeOldLedger(join(directory, 'old'));
    newEventsPath = join(directory, 'new', 'salur.db');
    env = {
      EVENT_STORE: 'sqlite',
      SQLITE_PATH: newEventsPath,
      PERSONAL_DATA_MASTER_KEY: randomBytes(32).toString('base64'),
    };
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  const migrate = (args: readonly string[], output: CliOutput = captured(), progress = SILENT) =>
    migratePersonalDataCommand(args, env, output, LEDGER_PERSONAL_DATA, progress);

  /** The new store through the sealing layer, as the service will read it. */
  async function openNewLedger(): Promise<EventStore> {
    return openSealingEventStore(
      new SqliteEventStore({ path: newEventsPath }),
      personalDataConfigFrom(env),
      LEDGER_PERSONAL_DATA,
    );
  }

  it('copies every event sealed, in order, behind a LedgerMigrated that names the old signed root', async () => {
    const output = captured();
    expect(await migrate(['--from-sqlite', old.eventsPath], output, progressView(output, false))).toBe(0);
    expect(output.err).toContain(`copying: ${old.eventCount}/${old.eventCount} events`);

    const oldEvents = await eventsAt(old.eventsPath);
    const [opening, ...copies] = await eventsAt(newEventsPath);
    expect(opening).toMatchObject({ streamName: LEDGER_MIGRATION_STREAM, revision: 0, type: 'LedgerMigrated' });
    expect(opening.data).toEqual({
      oldLog: 'checked',
      oldOrigin: OLD_ORIGIN,
      oldLogSize: old.eventCount,
      oldRootHash: old.checkpoint.rootHash.toString('base64'),
      oldCheckpoint: old.checkpoint.note,
      copiedRootHash: old.checkpoint.rootHash.toString('base64'),
      eventsToCopy: old.eventCount,
      toolVersion: PERSONAL_DATA_MIGRATION_VERSION,
      at: expect.any(String),
    });
    expect(copies.map(identity)).toEqual(oldEvents.map(identity));
    expect(copies.map((event) => event.metadata)).toEqual(oldEvents.map((event) => event.metadata));

    // The stored bytes hold no clear personal data; the old ones did.
    const oldBytes = JSON.stringify(oldEvents);
    const newBytes = JSON.stringify(copies);
    for (const value of CLEAR_VALUES) expect([value, oldBytes.includes(value)]).toEqual([value, true]);
    for (const value of CLEAR_VALUES) expect([value, newBytes.includes(value)]).toEqual([value, false]);
    expect(newBytes).toContain('"sealed":"salur-pd/1"');

    // Through the sealing layer the ledger reads exactly the old data.
    const sealed = await openNewLedger();
    try {
      const opened = (await all(sealed.readAll())).slice(1);
      expect(opened.map((event) => [event.id, event.data])).toEqual(oldEvents.map((event) => [event.id, event.data]));
      // LedgerMigrated is harmless to every read model: none fails on it, only the audit trail indexes it.
      for (const projection of LEDGER_PROJECTIONS) {
        const tables = projectInMemory(projection, [opening]);
        const written = [...tables].filter(([, rows]) => rows.size > 0).map(([table]) => table);
        const indexed = projection.name === 'audit-trail' ? ['auditTrailEvents'] : [];
        expect([projection.name, written]).toEqual([projection.name, indexed]);
      }
    } finally {
      await sealed.close();
    }
  });

  it('gives a new log whose leaf 0 names the old root, and a ledger the invariant checker finds clean', async () => {
    expect(await migrate(['--from-sqlite', old.eventsPath])).toBe(0);
    const store = new SqliteEventStore({ path: newEventsPath });
    const db = openAuditLogDatabase({
      dialect: 'sqlite',
      sqlitePath: join(directory, 'new', 'salur-audit.db'),
      postgresUrl: '',
    });
    try {
      await migrateAuditLog(db, 'sqlite');
      const log = new MerkleLogStore(db);
      await new AuditLogWriter(log).catchUp(store);
      const [leaf0] = await log.leavesFrom(0, 1);
      const record = JSON.parse(Buffer.from(leaf0.leafBytes).toString('utf8'));
      expect(record).toMatchObject({
        stream: LEDGER_MIGRATION_STREAM,
        type: 'LedgerMigrated',
        data: { oldRootHash: old.checkpoint.rootHash.toString('base64'), oldCheckpoint: old.checkpoint.note },
      });
      const report = await checkLedger(store, {
        auditLog: log,
        workflowDeadline: { now: new Date().toISOString(), graceMs: 0 },
      });
      expect(report.events).toBe(old.eventCount + 1);
      expect(report.checked).toContain('store-agrees-with-log');
      expect(report.violations).toEqual([]);
    } finally {
      await db.destroy();
      await store.close();
    }
  });

  it('resumes after a crash mid-way, copying each event once, and a run after the end copies nothing', async () => {
    const oldStore = new SqliteEventStore({ path: old.eventsPath });
    const newRaw = new SqliteEventStore({ path: newEventsPath });
    const newStore = await openSealingEventStore(newRaw, personalDataConfigFrom(env), LEDGER_PERSONAL_DATA);
    // The process dies during its third transaction: nothing of it is written.
    let transactions = 0;
    const crashing: EventStore = Object.assign(Object.create(newStore) as EventStore, {
      appendMany: async (appends: Parameters<NonNullable<EventStore['appendMany']>>[0]) => {
        if (++transactions === 3) throw new Error('killed');
        return newStore.appendMany!(appends);
      },
    });
    const oldLog = await readOldCheckpoint({ dialect: 'sqlite', sqlitePath: old.auditPath, postgresUrl: '' });
    try {
      await expect(
        migratePersonalData({
          oldStore,
          oldLog,
          newRaw,
          newStore: crashing,
          limits: { batchEvents: 5, batchBytes: 1_000_000 },
        }),
      ).rejects.toThrow('killed');
    } finally {
      await newStore.close();
      await oldStore.close();
    }
    const partial = await eventsAt(newEventsPath);
    expect(partial.length).toBe(1 + 2 * 5);

    const output = captured();
    expect(await migrate(['--from-sqlite', old.eventsPath], output)).toBe(0);
    expect(output.out.join('\n')).toContain(
      `Copied ${old.eventCount - 10} events sealed (10 were copied by an earlier run)`,
    );
    const oldIds = (await eventsAt(old.eventsPath)).map(identity);
    const after = await eventsAt(newEventsPath);
    expect(after.map(identity)).toEqual([identity(partial[0]), ...oldIds]);

    const again = captured();
    expect(await migrate(['--from-sqlite', old.eventsPath], again)).toBe(0);
    expect(again.out.join('\n')).toContain(`Copied 0 events sealed (${old.eventCount} were copied by an earlier run)`);
    expect((await eventsAt(newEventsPath)).map(identity)).toEqual(after.map(identity));
  });

  it('stops when the old store is written to during the copy, which the survey could not see', async () => {
    const oldStore = new SqliteEventStore({ path: old.eventsPath });
    const newRaw = new SqliteEventStore({ path: newEventsPath });
    const newStore = await openSealingEventStore(newRaw, personalDataConfigFrom(env), LEDGER_PERSONAL_DATA);
    // The old service is still running: an event lands between the survey's read and the copy's.
    let reads = 0;
    const live: EventStore = Object.assign(Object.create(oldStore) as EventStore, {
      readAll: (options?: Parameters<EventStore['readAll']>[0]) => {
        if (++reads === 2) {
          return (async function* () {
            await oldStore.append('programme-later', [
              { id: 'a0000000-0000-4000-8000-000000000005', type: 'Noted', data: {} },
            ]);
            yield* oldStore.readAll(options);
          })();
        }
        return oldStore.readAll(options);
      },
    });
    try {
      await expect(migratePersonalData({ oldStore: live, oldLog: 'absent', newRaw, newStore })).rejects.toThrow(
        'The old store changed while it was migrated (events were appended)',
      );
    } finally {
      await newStore.close();
      await oldStore.close();
    }
  });

  it('refuses a new store that holds anything else, or another migration, and the old store as the new one', async () => {
    const output = captured();
    expect(await migrate(['--from-sqlite', old.eventsPath], output)).toBe(0);
    // The old ledger moved on since (and its log with it): its migration is another one.
    const oldStore = new SqliteEventStore({ path: old.eventsPath });
    await oldStore.append('programme-later', [{ id: 'a0000000-0000-4000-8000-000000000001', type: 'Noted', data: {} }]);
    await signOldLog(oldStore, old.auditPath);
    await oldStore.close();
    const before = await eventsAt(newEventsPath);
    const refused = captured();
    expect(await migrate(['--from-sqlite', old.eventsPath], refused)).toBe(1);
    expect(refused.err.join('\n')).toContain('The new store holds another migration');
    expect(await eventsAt(newEventsPath)).toEqual(before);

    // A store the service already opened is not empty.
    rmSync(join(directory, 'new'), { recursive: true, force: true });
    const used = new SqliteEventStore({ path: newEventsPath });
    await used.append('ledger', [{ id: 'a0000000-0000-4000-8000-000000000002', type: 'LedgerIdentified', data: {} }]);
    await used.close();
    const nonEmpty = captured();
    expect(await migrate(['--from-sqlite', old.eventsPath], nonEmpty)).toBe(1);
    expect(nonEmpty.err.join('\n')).toContain('The new store is not empty (it opens with LedgerIdentified in ledger)');
    expect(await eventsAt(newEventsPath)).toHaveLength(1);

    const same = captured();
    env = { ...env, SQLITE_PATH: old.eventsPath };
    expect(await migrate(['--from-sqlite', old.eventsPath], same)).toBe(1);
    expect(same.err.join('\n')).toContain('The new store is the old one');
  });

  it('refuses an old log that does not sign exactly the old events, and a missing one unless told', async () => {
    const oldStore = new SqliteEventStore({ path: old.eventsPath });
    await oldStore.append('programme-later', [{ id: 'a0000000-0000-4000-8000-000000000003', type: 'Noted', data: {} }]);
    await oldStore.close();
    const behind = captured();
    expect(await migrate(['--from-sqlite', old.eventsPath], behind)).toBe(1);
    expect(behind.err.join('\n')).toContain(`signs ${old.eventCount} of the old store's ${old.eventCount + 1} events`);

    // An old event altered after it was signed.
    const raw = new Database(old.eventsPath);
    raw
      .prepare("UPDATE events SET data = replace(data, '600000.00', '500000.00') WHERE type = 'PaymentScheduled'")
      .run();
    raw.prepare("DELETE FROM events WHERE stream_name = 'programme-later'").run();
    raw.close();
    const altered = captured();
    expect(await migrate(['--from-sqlite', old.eventsPath], altered)).toBe(1);
    expect(altered.err.join('\n')).toContain(`events do not hash to the root its log signed`);
    expect(await eventsAt(newEventsPath)).toEqual([]);

    rmSync(old.auditPath);
    const missing = captured();
    expect(await migrate(['--from-sqlite', old.eventsPath], missing)).toBe(1);
    expect(missing.err.join('\n')).toContain('No old audit log at');
    expect(await migrate(['--from-sqlite', old.eventsPath, '--no-old-log'])).toBe(0);
    const [opening] = await eventsAt(newEventsPath);
    expect(opening.data).toMatchObject({
      oldLog: 'absent',
      oldRootHash: null,
      oldCheckpoint: null,
      eventsToCopy: old.eventCount,
    });
  });

  it('refuses an old store that already holds sealed personal data', async () => {
    expect(await migrate(['--from-sqlite', old.eventsPath])).toBe(0);
    const enrolled = (await eventsAt(newEventsPath)).find((event) => event.type === 'BeneficiaryEnrolled')!;
    const oldStore = new SqliteEventStore({ path: old.eventsPath });
    await oldStore.append('beneficiary-sealed', [
      { id: 'a0000000-0000-4000-8000-000000000004', type: enrolled.type, data: enrolled.data },
    ]);
    await signOldLog(oldStore, old.auditPath);
    await oldStore.close();
    env = { ...env, SQLITE_PATH: join(directory, 'newer', 'salur.db') };
    const refused = captured();
    expect(await migrate(['--from-sqlite', old.eventsPath], refused)).toBe(1);
    expect(refused.err.join('\n')).toContain('already holds sealed personal data');
  });
});

describe('migrating from PostgreSQL to PostgreSQL', () => {
  let oldDatabase: FreshDatabase;
  let newDatabase: FreshDatabase;

  beforeEach(async () => {
    [oldDatabase, newDatabase] = await Promise.all([
      createFreshDatabase('migration_old'),
      createFreshDatabase('migration_new'),
    ]);
  });

  afterEach(async () => {
    await Promise.all([oldDatabase.drop(), newDatabase.drop()]);
  });

  async function eventsOf(url: string): Promise<RecordedEvent[]> {
    const store = await PostgresEventStore.connect({ connectionString: url });
    try {
      return await all(store.readAll());
    } finally {
      await store.close();
    }
  }

  it('reads the old log from the old database, seals everything, and a rerun copies nothing', async () => {
    const oldStore = await PostgresEventStore.connect({ connectionString: oldDatabase.url });
    const eventCount = await writeOldEvents(oldStore);
    const checkpoint = await signOldLog(oldStore, {
      dialect: 'postgres',
      sqlitePath: '',
      postgresUrl: oldDatabase.url,
    });
    await oldStore.close();
    const env: Environment = {
      EVENT_STORE: 'postgres',
      DATABASE_URL: newDatabase.url,
      PERSONAL_DATA_MASTER_KEY: randomBytes(32).toString('base64'),
    };
    const migrate = (url: string, output: CliOutput) =>
      migratePersonalDataCommand(['--from-postgres', url], env, output, LEDGER_PERSONAL_DATA, SILENT);

    expect(await migrate(oldDatabase.url, captured())).toBe(0);
    const oldEvents = await eventsOf(oldDatabase.url);
    const [opening, ...copies] = await eventsOf(newDatabase.url);
    expect(opening.data).toMatchObject({
      oldLog: 'checked',
      oldLogSize: eventCount,
      oldRootHash: checkpoint.rootHash.toString('base64'),
    });
    expect(copies.map(identity)).toEqual(oldEvents.map(identity));
    const newBytes = JSON.stringify(copies);
    for (const value of CLEAR_VALUES) expect([value, newBytes.includes(value)]).toEqual([value, false]);

    const again = captured();
    expect(await migrate(oldDatabase.url, again)).toBe(0);
    expect(again.out.join('\n')).toContain(`Copied 0 events sealed (${eventCount} were copied by an earlier run)`);
    const same = captured();
    expect(await migrate(newDatabase.url, same)).toBe(1);
    expect(same.err.join('\n')).toContain('The new store is the old one');
  });
});
