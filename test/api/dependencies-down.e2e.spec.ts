import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DependencyUnavailableError } from '@salur/config';
import { AccessTokens } from '@salur/http';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiConfigFrom } from '../../apps/api/src/api.config';
import { ApiModule } from '../../apps/api/src/api.module';
import { deleteQueueKeys } from '../bank-integration/support/redis-cleanup';
import { http, type HttpResponse } from '../support/http';
import { createFreshDatabase, type FreshDatabase, POSTGRES_SERVER_URL } from '../support/postgres';
import { TcpProxy } from '../support/tcp-proxy';
import { type EventStoreDbDouble, startEventStoreDbDouble } from '../support/esdb-double';

/**
 * Each dependency taken away in turn from a running API (the event store, the read-model database;
 * Redis: health.e2e.spec.ts): the answers name it with 503 and its code, /health/ready names it with
 * its reason, nothing answers 500, and the API recovers by itself once it is back.
 */
const directory = mkdtempSync(join(tmpdir(), 'salur-deps-'));
const queuePrefixes: string[] = [];
afterAll(async () => {
  rmSync(directory, { recursive: true, force: true });
  for (const prefix of queuePrefixes) await deleteQueueKeys(prefix).catch(() => undefined);
});

interface RunningApi {
  readonly url: string;
  call(method: string, path: string, body?: unknown): Promise<HttpResponse<Record<string, unknown>>>;
  close(): Promise<void>;
}

async function startApi(env: Record<string, string>): Promise<RunningApi> {
  const queuePrefix = `salur-test-${randomUUID()}`;
  queuePrefixes.push(queuePrefix);
  const config = apiConfigFrom({
    SQLITE_PATH: join(directory, `${randomUUID()}.db`),
    QUEUE_PREFIX: queuePrefix,
    ...env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [ApiModule.register(config)] }).compile();
  const app: INestApplication = moduleRef.createNestApplication({ logger: process.env.TEST_LOGS ? undefined : false });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const token = new AccessTokens(config.http.jwt).issue({ userId: 'po-1', role: 'programme-officer', ttlSeconds: 600 });
  return {
    url,
    call: (method, path, body) =>
      http(method, `${url}${path}`, { body, headers: { authorization: `Bearer ${token}` } }),
    close: () => app.close(),
  };
}

const programme = (code: string) => ({
  code,
  name: 'Bantuan Langsung Tunai',
  fiscalYear: 2026,
  budgetCeiling: '100000000.00',
  benefitAmount: '600000.00',
  currency: 'IDR',
});

/** Waits on the condition itself, with a bound generous enough for a loaded machine. */
async function eventually<T>(attempt: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt();
    if (accept(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not reached within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('EventStoreDB away', () => {
  it('at start-up: the process waits EVENT_STORE_STARTUP_WAIT_SECONDS, then gives up naming the event store', async () => {
    const env = {
      EVENT_STORE: 'eventstoredb',
      EVENTSTOREDB_URL: `esdb://127.0.0.1:${await closedPort()}?tls=false`,
      EVENT_STORE_STARTUP_WAIT_SECONDS: '1',
    };

    const started = startApi(env);

    await expect(started).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(started).rejects.toMatchObject({
      code: 'EVENT_STORE_UNAVAILABLE',
      reason: expect.stringMatching(/^eventstoredb: .*waited 1 s: EVENT_STORE_STARTUP_WAIT_SECONDS/),
    });
  });

  describe('after start-up', () => {
    let double: EventStoreDbDouble;
    let proxy: TcpProxy;
    let api: RunningApi;
    beforeAll(async () => {
      double = await startEventStoreDbDouble();
      const server = new URL(double.connectionString);
      proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port) });
      api = await startApi({ EVENT_STORE: 'eventstoredb', EVENTSTOREDB_URL: proxy.urlFor(double.connectionString) });
    });
    afterAll(async () => {
      await api?.close();
      await proxy?.cut();
      await double?.stop();
    });

    it('commands answer 503 EVENT_STORE_UNAVAILABLE with Retry-After, readiness names it, and both recover', async () => {
      expect((await api.call('POST', '/programmes', programme('PKH'))).status).toBe(201);

      await proxy.cut();
      const refused = await api.call('POST', '/programmes', programme('BANTU-UMAK'));
      const ready = await api.call('GET', '/health/ready');
      const live = await api.call('GET', '/health/live');
      await proxy.restore();
      const accepted = await eventually(
        () => api.call('POST', '/programmes', programme('BANTU-UMAK')),
        (answer) => answer.status !== 503,
      );

      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ statusCode: 503, code: 'EVENT_STORE_UNAVAILABLE' });
      expect(refused.headers['retry-after']).toBe('5');
      // The driver's reason is for the operator's log and /health/ready, not for callers.
      expect(refused.text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|UNAVAILABLE:/);
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        status: 'down',
        dependencies: { 'event-store': { status: 'down', adapter: 'eventstoredb', essential: true } },
      });
      expect((ready.body.dependencies as Record<string, { reason: string }>)['event-store'].reason).toMatch(/\S/);
      expect(live).toMatchObject({ status: 200, body: { status: 'up' } });
      expect(accepted.status).toBe(201);
    });
  });
});

describe('PostgreSQL taken away from a running API, and given back', () => {
  let database: FreshDatabase;
  let events: TcpProxy;
  let readModels: TcpProxy;
  let api: RunningApi;
  beforeAll(async () => {
    database = await createFreshDatabase('dependencies_down');
    const server = new URL(POSTGRES_SERVER_URL);
    const target = { host: server.hostname, port: Number(server.port || 5432) };
    events = await TcpProxy.start(target);
    readModels = await TcpProxy.start(target);
    api = await startApi({
      EVENT_STORE: 'postgres',
      DATABASE_URL: events.urlFor(database.url),
      READ_MODEL_STORE: 'postgres',
      READ_MODEL_DATABASE_URL: readModels.urlFor(database.url),
    });
  });
  afterAll(async () => {
    await api?.close();
    await events?.cut();
    await readModels?.cut();
    await database?.drop();
  });

  it('the event store: commands answer 503 EVENT_STORE_UNAVAILABLE while it is away, and succeed once it is back', async () => {
    expect((await api.call('POST', '/programmes', programme('PKH'))).status).toBe(201);

    await events.cut();
    const refused = await api.call('POST', '/programmes', programme('LANSIA'));
    const ready = await api.call('GET', '/health/ready');
    await events.restore();
    const accepted = await eventually(
      () => api.call('POST', '/programmes', programme('LANSIA')),
      (answer) => answer.status !== 503,
    );

    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ code: 'EVENT_STORE_UNAVAILABLE' });
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ dependencies: { 'event-store': { status: 'down', adapter: 'postgres' } } });
    expect(accepted.status).toBe(201);
  });

  it('the read-model database: reads answer 503 READ_MODELS_UNAVAILABLE, /projections/status still answers, all recover', async () => {
    await eventually(
      () => api.call('GET', '/programmes'),
      (answer) => answer.status === 200,
    );

    await readModels.cut();
    const list = await api.call('GET', '/programmes');
    const status = await api.call('GET', '/projections/status');
    const ready = await api.call('GET', '/health/ready');
    await readModels.restore();
    const back = await eventually(
      () => api.call('GET', '/programmes'),
      (answer) => answer.status === 200,
    );

    expect(list.status).toBe(503);
    expect(list.body).toMatchObject({ code: 'READ_MODELS_UNAVAILABLE' });
    // From the runners' memory and the event store: it stays up to tell operators what is wrong.
    expect(status.status).toBe(200);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ dependencies: { 'read-models': { status: 'down', essential: true } } });
    expect(back.status).toBe(200);
  });
});
