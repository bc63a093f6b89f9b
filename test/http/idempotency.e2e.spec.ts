import { randomUUID } from 'node:crypto';
import { CommandBus } from '@nestjs/cqrs';
import type { CommandReceipt } from '@salur/application';
import { EnrolBeneficiaryCommand } from '@salur/beneficiaries';
import { EVENT_STORE, EventStore, RecordedEvent } from '@salur/event-store';
import {
  DEFAULT_IDEMPOTENCY_CONFIG,
  IDEMPOTENCY_DATABASE,
  IdempotencyDatabase,
  idempotentRequestOf,
  IdempotencyStore,
} from '@salur/http';
import { enrolment } from '../ledger/ledger-api';
import { http } from '../support/http';
import { createFreshDatabase, FreshDatabase } from '../support/postgres';
import { bearer, RunningApi, startApi } from './support/test-api';
import { ExecutionLog, PayAnswer, TestCommandsController } from './support/test-commands.controller';

/**
 * Idempotency records live in a table beside the log (an SQLite file of their own, or the
 * read-model PostgreSQL database), never in the event store: the suite runs on both, and counts
 * the log's events around each command to prove a key adds none.
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
    const head = await store().headPosition();

    const first = await post(route, key);
    const retry = await post(route, key);

    expect([first.status, retry.status]).toEqual([status, status]);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(log.count(route) - before).toBe(2);
    expect(await recordOf('officer-1', key)).toMatchObject({ state: 'failed', status, version: 4 });
    expect(await store().headPosition()).toBe(head);
  });

  it("keeps its record beside the log, not in it: a keyed command writes only the command's own event", async () => {
    const key = randomUUID();
    const head = (await store().headPosition()) ?? 0;

    const first = await post<PayAnswer>('pay', key, payment, 'officer-9');

    const written = await collect(store().readAll({ from: head }));
    expect(written.map((event) => event.type)).toEqual(['TestPaymentScheduled']);
    expect(await recordOf('officer-9', key)).toMatchObject({
      method: 'POST',
      path: '/test-commands/pay',
      state: 'completed',
      status: 201,
      requestId: written[0].metadata.causationId,
    });
    expect(JSON.parse(String((await recordOf('officer-9', key))?.answer))).toEqual({ kind: 'json', body: first.body });
  });

  it('writes nothing for a refused command with a key, and answers a retry with the same refusal', async () => {
    const key = randomUUID();
    const head = await store().headPosition();

    const first = await post('rule', key, {});
    const repeat = await post('rule', key, {});
    const otherBody = await post('rule', key, { batchId: 'another' });

    expect([first.status, repeat.status, repeat.headers['idempotent-replayed']]).toEqual([422, 422, 'true']);
    expect(repeat.body).toEqual(first.body);
    expect(otherBody.body).toMatchObject({ statusCode: 409, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await recordOf('officer-1', key)).toMatchObject({ state: 'completed', status: 422 });
    expect(await store().headPosition()).toBe(head);
  });

  it('writes nothing for a refused command without a key', async () => {
    const head = await store().headPosition();

    const refused = await post('rule', undefined, {});

    expect(refused.status).toBe(422);
    expect(await store().headPosition()).toBe(head);
  });

  describe('enrolment', () => {
    let programmeId: string;
    const enrolmentOfficer = 'eo-1';
    const enrol = (serial: number, key?: string) =>
      http<CommandReceipt & { code?: string }>('POST', `${api.url}/programmes/${programmeId}/beneficiaries`, {
        body: enrolment(serial),
        headers: bearer(api.token('enrolment-officer', enrolmentOfficer), key ? { 'idempotency-key': key } : {}),
      });

    beforeAll(async () => {
      const created = await http<CommandReceipt>('POST', `${api.url}/programmes`, {
        body: {
          code: 'BANTU-IDEM',
          name: 'Bantuan idempotency',
          fiscalYear: 2026,
          budgetCeiling: '100000000.00',
          benefitAmount: '600000.00',
          currency: 'IDR',
        },
        headers: bearer(api.token('programme-officer')),
      });
      expect(created.status).toBe(201);
      programmeId = created.body.id;
    });

    it('writes no event for a refused enrolment with or without a key; a retry gets the same refusal', async () => {
      expect((await enrol(1)).status).toBe(201);
      const key = randomUUID();
      const head = await store().headPosition();

      const withoutKey = await enrol(1);
      const first = await enrol(1, key);
      const retry = await enrol(1, key);
      const otherBody = await enrol(2, key);

      expect(withoutKey.body).toMatchObject({ statusCode: 409, code: 'DUPLICATE_ENROLMENT' });
      expect(first.body).toMatchObject({ statusCode: 409, code: 'DUPLICATE_ENROLMENT' });
      expect([retry.status, retry.headers['idempotent-replayed']]).toEqual([409, 'true']);
      expect(retry.body).toEqual(first.body);
      expect(otherBody.body).toMatchObject({ statusCode: 409, code: 'IDEMPOTENCY_KEY_REUSED' });
      expect(await store().headPosition()).toBe(head);
    });

    /**
     * A kill -9 between the command's append and the key's completion, as it leaves the ledger:
     * the key's record started (by a process whose lease has ended) with the request id, and the
     * command's events caused by that request id. Then the client's retry.
     */
    async function crashAfterAppend(serial: number, key: string): Promise<CommandReceipt> {
      const requestId = await startedLongAgo(serial, key);
      return api.app.get(CommandBus).execute(
        new EnrolBeneficiaryCommand(programmeId, enrolment(serial), {
          actor: { userId: enrolmentOfficer, role: 'enrolment-officer' },
          now: new Date().toISOString(),
          correlationId: randomUUID(),
          causationId: requestId,
        }),
      );
    }

    /** The key's record as the crashed process left it; its clock ran a lease and a minute behind. */
    async function startedLongAgo(serial: number, key: string): Promise<string> {
      const crashedProcess = new IdempotencyStore(
        api.app.get<IdempotencyDatabase>(IDEMPOTENCY_DATABASE),
        store(),
        DEFAULT_IDEMPOTENCY_CONFIG,
        () => Date.now() - DEFAULT_IDEMPOTENCY_CONFIG.inProgressLeaseMs - 1_000,
      );
      const path = `/programmes/${programmeId}/beneficiaries`;
      const requestId = randomUUID();
      const request = idempotentRequestOf(enrolmentOfficer, key, 'POST', path, enrolment(serial));
      expect(await crashedProcess.claim(request, { requestId, successStatus: 201 })).toMatchObject({
        kind: 'claimed',
      });
      return requestId;
    }

    it('answers a retry after a crash between the append and the key record with the original receipt', async () => {
      const key = randomUUID();
      const original = await crashAfterAppend(10, key);
      const head = await store().headPosition();

      const retry = await enrol(10, key);
      const again = await enrol(10, key);

      expect(original).toMatchObject({ revision: 0, position: expect.any(Number) });
      expect([retry.status, retry.headers['idempotent-replayed']]).toEqual([201, 'true']);
      expect(retry.body).toEqual(original);
      expect(again.body).toEqual(original);
      expect(await collect(store().readStream(`beneficiary-${original.id}`))).toHaveLength(1);
      expect(await store().headPosition()).toBe(head);
    });

    it('runs the command on a retry after a crash before anything was appended', async () => {
      const key = randomUUID();
      await startedLongAgo(11, key);

      const retry = await enrol(11, key);

      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBeUndefined();
      expect(await collect(store().readStream(`beneficiary-${retry.body.id}`))).toHaveLength(1);
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

  function store(): EventStore {
    return api.app.get<EventStore>(EVENT_STORE);
  }

  async function paymentEventsFor(paymentId: string): Promise<RecordedEvent[]> {
    return collect(store().readStream(`testpayment-${paymentId}`));
  }

  /** The row of a user's key, as the HTTP platform keeps it. */
  function recordOf(userId: string, key: string) {
    const { keyId } = idempotentRequestOf(userId, key, 'POST', '/', {});
    return api.app
      .get<IdempotencyDatabase>(IDEMPOTENCY_DATABASE)
      .selectFrom('idempotencyKeys')
      .selectAll()
      .where('keyId', '=', keyId)
      .executeTakeFirst();
  }
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
