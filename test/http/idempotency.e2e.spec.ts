import { randomUUID } from 'node:crypto';
import { EVENT_STORE, EventStore, RecordedEvent } from '@salur/event-store';
import { http, HttpResponse } from '../support/http';
import { createFreshDatabase, FreshDatabase } from '../support/postgres';
import { bearer, RunningApi, startApi } from './support/test-api';
import { ExecutionLog, PayAnswer, TestCommandsController } from './support/test-commands.controller';

/**
 * Idempotency records live in the event store through its port, so the same suite runs on
 * the embedded SQLite store and on PostgreSQL: the exclusivity of a key is the store's
 * expected-revision check, which each adapter implements on its own.
 */
describe.each(['sqlite', 'postgres'] as const)('idempotency on %s', (adapter) => {
  let api: RunningApi;
  let log: ExecutionLog;
  let database: FreshDatabase | undefined;

  beforeAll(async () => {
    database = adapter === 'postgres' ? await createFreshDatabase('http_idempotency') : undefined;
    api = await startApi({
      controllers: [TestCommandsController],
      providers: [ExecutionLog],
      env: database ? { EVENT_STORE: 'postgres', DATABASE_URL: database.url } : {},
    });
    log = api.app.get(ExecutionLog);
  });
  afterAll(async () => {
    await api.close();
    await database?.drop();
  });

  const payment = { amount: '600000.00', period: '2026-11', beneficiaryId: '2ed6657d-e927-568b-95e1-2665a8aea6a2' };
  const post = <T = unknown>(route: string, key: string | undefined, body?: unknown, userId = 'officer-1') =>
    http<T>('POST', `${api.url}/test-commands/${route}`, {
      body,
      headers: bearer(api.token('finance-officer', userId), key === undefined ? {} : { 'idempotency-key': key }),
    });

  it('executes a command once and replays its first answer to a repeat', async () => {
    const key = randomUUID();
    const before = log.count('pay');

    const first = await post<PayAnswer>('pay', key, payment);
    const repeat = await post<PayAnswer>('pay', key, payment);

    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(repeat.status).toBe(201);
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect(repeat.body).toEqual(first.body);
    expect(log.count('pay') - before).toBe(1);
    expect(await paymentEventsFor(first.body.paymentId)).toHaveLength(1);
  });

  it('treats the same body with its keys in another order as the same request', async () => {
    const key = randomUUID();
    const before = log.count('pay');

    const first = await post('pay', key, payment);
    const reordered = await post('pay', key, {
      beneficiaryId: payment.beneficiaryId,
      period: payment.period,
      amount: payment.amount,
    });

    expect([first.status, reordered.status, reordered.headers['idempotent-replayed']]).toEqual([201, 201, 'true']);
    expect(log.count('pay') - before).toBe(1);
  });

  it('refuses the key with a different body (409 IDEMPOTENCY_KEY_REUSED) and executes nothing', async () => {
    const key = randomUUID();
    const before = log.count('pay');

    await post('pay', key, payment);
    const reused = await post('pay', key, { ...payment, amount: '700000.00' });

    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ statusCode: 409, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(log.count('pay') - before).toBe(1);
  });

  it('refuses the key on another path as another request', async () => {
    const key = randomUUID();

    await post('accept', key);
    const elsewhere = await post('rule', key);

    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('scopes keys per user: another user with the same key executes their own command', async () => {
    const key = randomUUID();
    const before = log.count('pay');

    const mine = await post<PayAnswer>('pay', key, payment, 'officer-1');
    const theirs = await post<PayAnswer>('pay', key, payment, 'officer-2');

    expect(theirs.status).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.body.paymentId).not.toBe(mine.body.paymentId);
    expect(log.count('pay') - before).toBe(2);
  });

  it('answers 409 IDEMPOTENCY_IN_PROGRESS while the first request runs, then replays its answer', async () => {
    const key = randomUUID();
    const entered = log.closeGate();
    const first = post<{ execution: number }>('slow', key);
    await entered;

    const during = await post('slow', key);
    log.release();
    const firstAnswer = await first;
    const after = await post<{ execution: number }>('slow', key);

    expect(during.status).toBe(409);
    expect(during.body).toMatchObject({ code: 'IDEMPOTENCY_IN_PROGRESS' });
    expect(Number(during.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(firstAnswer.status).toBe(201);
    expect(after.status).toBe(201);
    expect(after.headers['idempotent-replayed']).toBe('true');
    expect(after.body).toEqual(firstAnswer.body);
    expect(log.count('slow')).toBe(1);
  });

  it('executes exactly once when concurrent requests carry the same key', async () => {
    const key = randomUUID();
    const before = log.count('pay');

    const answers = await Promise.all(Array.from({ length: 8 }, () => post<PayAnswer>('pay', key, payment)));

    const executed = answers.filter((answer) => answer.status === 201 && !answer.headers['idempotent-replayed']);
    const others = answers.filter((answer) => !executed.includes(answer));
    expect(log.count('pay') - before).toBe(1);
    expect(executed).toHaveLength(1);
    for (const other of others) {
      if (other.status === 201) expect(other.body).toEqual(executed[0].body);
      else expect(other.body).toMatchObject({ statusCode: 409, code: 'IDEMPOTENCY_IN_PROGRESS' });
    }
  });

  it('replays a refused command (4xx) without deciding it again', async () => {
    const key = randomUUID();
    const before = log.count('rule');

    const first = await post('rule', key);
    const repeat = await post('rule', key);

    expect([first.status, repeat.status]).toEqual([422, 422]);
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect(repeat.body).toEqual(first.body);
    expect(log.count('rule') - before).toBe(1);
  });

  it('replays a validation failure as it was answered', async () => {
    const key = randomUUID();

    const first = await post('pay', key, { ...payment, amount: '6e5' });
    const repeat = await post('pay', key, { ...payment, amount: '6e5' });

    expect([first.status, repeat.status]).toEqual([400, 400]);
    expect(repeat.body).toEqual(first.body);
  });

  it('replays an empty answer with its status (202)', async () => {
    const key = randomUUID();
    const before = log.count('accept');

    const first = await post('accept', key);
    const repeat = await post('accept', key);

    expect([first.status, repeat.status]).toEqual([202, 202]);
    expect([first.text, repeat.text]).toEqual(['', '']);
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect(log.count('accept') - before).toBe(1);
  });

  it.each([
    ['an unexpected error (500)', 'crash', 500],
    ['a concurrency conflict (409)', 'race-lost', 409],
  ])('lets a retry execute again after %s: it is no answer to keep', async (_, route, status) => {
    const key = randomUUID();
    const before = log.count(route);

    const first = await post(route, key);
    const retry = await post(route, key);

    expect([first.status, retry.status]).toEqual([status, status]);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(log.count(route) - before).toBe(2);
    expect(await recordTypes(retry)).toEqual([
      'IdempotentRequestStarted',
      'IdempotentRequestFailed',
      'IdempotentRequestStarted',
      'IdempotentRequestFailed',
    ]);
  });

  it('keeps its records in the event store: Started, then Completed with the answer', async () => {
    const key = randomUUID();

    const first = await post<PayAnswer>('pay', key, payment, 'officer-9');
    const events = await recordEvents(first);

    expect(events.map((event) => event.type)).toEqual(['IdempotentRequestStarted', 'IdempotentRequestCompleted']);
    expect(events[0].data).toMatchObject({
      method: 'POST',
      path: '/test-commands/pay',
      requestHash: expect.any(String),
    });
    expect(events[1].data).toMatchObject({ status: 201, answer: { kind: 'json', body: first.body } });
    expect(events[1].metadata).toMatchObject({
      actor: { userId: 'officer-9', role: 'finance-officer' },
      correlationId: first.headers['x-correlation-id'],
    });
  });

  it.each([
    ['empty', ''],
    ['longer than 200 characters', 'k'.repeat(201)],
    ['not printable ASCII', 'clé-1'],
  ])('refuses an Idempotency-Key that is %s (400), executing nothing', async (_, key) => {
    const before = log.count('pay');

    const response = await post('pay', key, payment);

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'INVALID_IDEMPOTENCY_KEY', field: 'Idempotency-Key' });
    expect(log.count('pay') - before).toBe(0);
  });

  it('leaves requests without a key alone: each one executes', async () => {
    const before = log.count('pay');

    await post('pay', undefined, payment);
    await post('pay', undefined, payment);

    expect(log.count('pay') - before).toBe(2);
  });

  async function paymentEventsFor(paymentId: string): Promise<RecordedEvent[]> {
    return collect(api.app.get<EventStore>(EVENT_STORE).readStream(`testpayment-${paymentId}`));
  }

  /** The records of the key of the request that produced this response, found by its correlation id. */
  async function recordEvents(response: HttpResponse): Promise<RecordedEvent[]> {
    const store = api.app.get<EventStore>(EVENT_STORE);
    const correlationId = response.headers['x-correlation-id'];
    const all = await collect(store.readAll());
    const started = all.find(
      (event) => event.type === 'IdempotentRequestStarted' && event.metadata.correlationId === correlationId,
    );
    if (!started) throw new Error(`No idempotency record for correlation ${String(correlationId)}`);
    return collect(store.readStream(started.streamName));
  }

  async function recordTypes(response: HttpResponse): Promise<string[]> {
    return (await recordEvents(response)).map((event) => event.type);
  }
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
