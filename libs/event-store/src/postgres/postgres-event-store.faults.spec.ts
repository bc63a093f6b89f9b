import { randomUUID } from 'node:crypto';
import { AddressInfo, createServer, connect, Server, Socket } from 'node:net';
import { Client } from 'pg';
import { createFreshDatabase, FreshDatabase } from '../../../../test/support/postgres';
import type { NewEvent, RecordedEvent } from '../event-store.port';
import { isConnectionLost } from './connection-lost';
import { PostgresEventStore } from './postgres-event-store';

const APPLICATION_NAME = `salur-faults-${process.pid}`;
const DELIVERY_TIMEOUT_MS = 10_000;

function events(count: number): NewEvent[] {
  return Array.from({ length: count }, (_, index) => ({ id: randomUUID(), type: 'Noted', data: { index } }));
}

async function readAll(store: PostgresEventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for await (const event of store.readAll()) all.push(event);
  return all;
}

/**
 * Faults of the PostgreSQL adapter's connections, each made deterministic: a trigger that
 * terminates its own backend in the middle of an append, or the test terminating a chosen
 * backend (pg_terminate_backend, as an administrator or a failover would). The random version
 * of the same is test/chaos/postgres-terminate.chaos.spec.ts.
 */
describe('PostgresEventStore when its connections are terminated', () => {
  let database: FreshDatabase;
  let admin: Client;
  const stores: PostgresEventStore[] = [];

  async function open(options: { reconnectAttempts?: number; pollIntervalMs?: number } = {}) {
    const store = await PostgresEventStore.connect({
      connectionString: database.url,
      applicationName: APPLICATION_NAME,
      pollIntervalMs: options.pollIntervalMs ?? 60_000,
      reconnect:
        options.reconnectAttempts === undefined ? undefined : { attempts: options.reconnectAttempts, firstDelayMs: 1 },
    });
    stores.push(store);
    return store;
  }

  /** The next INSERT into events terminates its own backend before it can commit; later ones pass. */
  async function terminateNextInsert(): Promise<void> {
    await admin.query(`
      CREATE SEQUENCE kill_once;
      CREATE FUNCTION kill_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF nextval('kill_once') = 1 THEN PERFORM pg_terminate_backend(pg_backend_pid()); PERFORM pg_sleep(5); END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER kill_once BEFORE INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION kill_once();`);
  }

  beforeEach(async () => {
    database = await createFreshDatabase('event_store_faults');
    admin = new Client({ connectionString: database.url });
    await admin.connect();
  });

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await admin.end();
    await database.drop();
  });

  it('retries an append whose backend was terminated mid-transaction and writes its events once', async () => {
    const store = await open();
    await terminateNextInsert();
    const appended = events(3);

    const result = await store.append('stream-1', appended, { expectedRevision: 'no_stream' });

    const log = await readAll(store);
    expect(log.map((event) => event.id)).toEqual(appended.map((event) => event.id));
    expect(result).toEqual({ nextExpectedRevision: 2, position: log[2].position });
  });

  it('without retries, reports the lost connection, writes nothing, and the next append succeeds', async () => {
    const store = await open({ reconnectAttempts: 1 });
    await terminateNextInsert();

    const failure = await store.append('stream-1', events(2), { expectedRevision: 'no_stream' }).catch((e) => e);
    expect(isConnectionLost(failure)).toBe(true);
    expect(await readAll(store)).toEqual([]);

    // The broken client left the pool: the same store, not restarted, writes again.
    await expect(store.append('stream-1', events(2), { expectedRevision: 'no_stream' })).resolves.toMatchObject({
      nextExpectedRevision: 1,
    });
  });

  it('retries an append whose COMMIT answer was lost and finds its committed events instead of writing them twice', async () => {
    const cutter = await CommitAnswerCutter.start(new URL(database.url));
    try {
      const store = await PostgresEventStore.connect({ connectionString: cutter.url(database.url) });
      stores.push(store);
      await store.append('stream-1', events(1), { expectedRevision: 'no_stream' });
      const appended = events(2);
      cutter.arm();

      const result = await store.append('stream-1', appended, { expectedRevision: 0 });

      expect(cutter.cuts).toBe(1);
      const log = await readAll(store);
      expect(log.slice(1).map((event) => event.id)).toEqual(appended.map((event) => event.id));
      expect(log).toHaveLength(3);
      expect(result).toEqual({ nextExpectedRevision: 2, position: log[2].position });
    } finally {
      await Promise.all(stores.splice(0).map((store) => store.close()));
      await cutter.stop();
    }
  });

  it('reads again on a new connection when the pooled ones were terminated', async () => {
    const store = await open();
    await store.append('stream-1', events(5));
    // Fill the pool with idle connections, then terminate every one of them.
    await Promise.all(Array.from({ length: 5 }, () => store.headPosition()));
    const { rows } = await admin.query<{ terminated: boolean }>(
      `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE application_name = $1`,
      [APPLICATION_NAME],
    );
    expect(rows.length).toBeGreaterThan(0);

    expect(await readAll(store)).toHaveLength(5);
    expect(await store.headPosition()).toBe(5);
  });

  it('opens its LISTEN connection again after it was terminated, so appends by another process still wake a subscription', async () => {
    const store = await open();
    const other = await PostgresEventStore.connect({ connectionString: database.url });
    stores.push(other);
    const subscription = store.subscribeToAll();
    const delivered: RecordedEvent[] = [];
    const following = (async () => {
      for await (const event of subscription) delivered.push(event);
    })();
    const listenerPid = async () =>
      (
        await admin.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'`,
          [APPLICATION_NAME],
        )
      ).rows[0]?.pid;
    const first = await waitFor(listenerPid, 'the LISTEN connection');
    await admin.query('SELECT pg_terminate_backend($1)', [first]);
    // A new LISTEN connection, not the one terminated.
    await waitFor(async () => ((await listenerPid()) ?? first) !== first || undefined, 'a new LISTEN connection');

    // The poll interval is a minute: only a notification can deliver this within the timeout.
    const { position } = await other.append('stream-2', events(1));
    await waitFor(async () => delivered.some((event) => event.position === position) || undefined, 'the delivery');
    await subscription.close();
    await following;
  });
});

/**
 * A TCP proxy in front of PostgreSQL that, once armed, lets the next COMMIT through and then cuts
 * the connection instead of relaying the answer: the server committed, the client cannot know.
 */
class CommitAnswerCutter {
  private armed = false;
  cuts = 0;
  private constructor(
    private readonly server: Server,
    private readonly sockets: Set<Socket>,
  ) {}

  static async start(target: URL): Promise<CommitAnswerCutter> {
    const sockets = new Set<Socket>();
    const server = createServer();
    const cutter = new CommitAnswerCutter(server, sockets);
    server.on('connection', (client) => cutter.relay(client, connect(Number(target.port || 5432), target.hostname)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return cutter;
  }

  arm(): void {
    this.armed = true;
  }

  url(of: string): string {
    const url = new URL(of);
    url.port = String((this.server.address() as AddressInfo).port);
    return url.toString();
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private relay(client: Socket, upstream: Socket): void {
    let cutNextAnswer = false;
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      if (this.armed && chunk.includes('COMMIT')) {
        this.armed = false;
        cutNextAnswer = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!cutNextAnswer) return void client.write(chunk);
      this.cuts++;
      client.destroy();
      upstream.destroy();
    });
  }
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${DELIVERY_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
