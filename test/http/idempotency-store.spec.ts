import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore, eventStoreConfigFrom, openEventStore } from '@salur/event-store';
import {
  DEFAULT_IDEMPOTENCY_CONFIG,
  IdempotencyClaimLostError,
  IdempotencyDatabase,
  idempotencyDatabaseFrom,
  IdempotencyInProgressError,
  idempotentRequestOf,
  IdempotencyStore,
  openIdempotencyDatabase,
} from '@salur/http';
import { createFreshDatabase, FreshDatabase } from '../support/postgres';

/**
 * The idempotency records against real databases, SQLite and PostgreSQL, each opened twice as
 * two API processes sharing one ledger would open it, with a clock of the test's own: the lease
 * is checked by moving the clock, never by waiting.
 */
const LEASE_MS = DEFAULT_IDEMPOTENCY_CONFIG.inProgressLeaseMs;

describe.each(['sqlite', 'postgres'] as const)('idempotency records on %s', (dialect) => {
  let database: FreshDatabase | undefined;
  let directory: string;
  let eventStore: EventStore;
  let connections: IdempotencyDatabase[];
  let nowMs: number;
  /** Two processes' stores over one database. */
  let records: IdempotencyStore;
  let otherProcess: IdempotencyStore;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'salur-idempotency-'));
    database = dialect === 'postgres' ? await createFreshDatabase('http_idempotency_store') : undefined;
    const env = {
      SQLITE_PATH: join(directory, 'events.db'),
      ...(database ? { EVENT_STORE: 'postgres', DATABASE_URL: database.url } : {}),
    };
    eventStore = await openEventStore(eventStoreConfigFrom(env));
    const config = idempotencyDatabaseFrom(env);
    expect(config.dialect).toBe(dialect);
    connections = [await openIdempotencyDatabase(config), await openIdempotencyDatabase(config)];
    const clock = () => nowMs;
    records = new IdempotencyStore(connections[0], eventStore, DEFAULT_IDEMPOTENCY_CONFIG, clock);
    otherProcess = new IdempotencyStore(connections[1], eventStore, DEFAULT_IDEMPOTENCY_CONFIG, clock);
  });
  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.destroy()));
    await eventStore.close();
    await database?.drop();
    rmSync(directory, { recursive: true, force: true });
  });
  beforeEach(() => {
    // Starts at the real time: the store stamps events with it, and recovery compares the two.
    nowMs = Date.now();
  });

  /** A new key per test: the tests share one database. */
  let key: string;
  beforeEach(() => {
    key = randomUUID();
  });
  const request = (body: unknown = { amount: '1.00' }) =>
    idempotentRequestOf('officer-1', key, 'POST', '/payments', body);
  const attempt = (requestId: string = randomUUID()) => ({ requestId, successStatus: 201 });
  const claimed = async (store: IdempotencyStore, requestId?: string) => {
    const result = await store.claim(request(), attempt(requestId));
    if (result.kind !== 'claimed') throw new Error(`expected a claim, got ${result.kind}`);
    return result.claim;
  };

  it('lets exactly one of concurrent claims on a key execute, across two processes', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, index) => (index % 2 ? otherProcess : records).claim(request(), attempt())),
    );

    const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(winners).toHaveLength(1);
    for (const refusal of refused) expect(refusal.reason).toBeInstanceOf(IdempotencyInProgressError);
  });

  it('keeps a refusal in the key record alone: nothing reaches the event store, a retry gets the refusal', async () => {
    const head = await eventStore.headPosition();
    const first = await claimed(records);
    const refusal = { kind: 'json', body: { statusCode: 422, code: 'BUDGET_EXCEEDED' } } as const;

    await records.complete(first, 422, refusal);

    await expect(otherProcess.claim(request(), attempt())).resolves.toEqual({
      kind: 'replay',
      status: 422,
      answer: refusal,
    });
    await expect(otherProcess.claim(request({ amount: '2.00' }), attempt())).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    expect(await eventStore.headPosition()).toBe(head);
  });

  it('lets a retry run the command of an attempt that died before writing, once the lease has ended', async () => {
    const abandoned = await claimed(records);

    nowMs += LEASE_MS - 1;
    await expect(otherProcess.claim(request(), attempt())).rejects.toBeInstanceOf(IdempotencyInProgressError);
    nowMs += 1;
    const takeover = await claimed(otherProcess);

    expect(takeover.version).toBe(abandoned.version + 1);
    // The abandoned attempt, should it wake up, cannot record over the one that took over.
    await expect(
      records.complete(abandoned, 201, { kind: 'json', body: { from: 'abandoned' } }),
    ).rejects.toBeInstanceOf(IdempotencyClaimLostError);
    await otherProcess.complete(takeover, 201, { kind: 'json', body: { from: 'takeover' } });
    await expect(records.claim(request(), attempt())).resolves.toEqual({
      kind: 'replay',
      status: 201,
      answer: { kind: 'json', body: { from: 'takeover' } },
    });
  });

  it("answers an attempt that died after its command's events were appended with their receipt", async () => {
    const requestId = randomUUID();
    await claimed(records, requestId);
    const beneficiaryId = randomUUID();
    // The command's events (two appends, as a command touching its stream twice would), then others'.
    await eventStore.append(`beneficiary-${beneficiaryId}`, [event(requestId)], { expectedRevision: 'no_stream' });
    const last = await eventStore.append(`beneficiary-${beneficiaryId}`, [event(requestId)], { expectedRevision: 0 });
    await eventStore.append(`beneficiary-${randomUUID()}`, [event(randomUUID())], { expectedRevision: 'no_stream' });
    const head = await eventStore.headPosition();

    nowMs += LEASE_MS;
    const recovered = { kind: 'json', body: { id: beneficiaryId, revision: 1, position: last.position } };
    await expect(otherProcess.claim(request(), attempt())).resolves.toEqual({
      kind: 'replay',
      status: 201,
      answer: recovered,
    });
    await expect(records.claim(request(), attempt())).resolves.toEqual({
      kind: 'replay',
      status: 201,
      answer: recovered,
    });
    expect(await eventStore.headPosition()).toBe(head);
  });

  it("looks for an attempt's events no further than its lease: a later event is not its own", async () => {
    // Started long ago: the events appended now come after its lease and the clock margin.
    nowMs = Date.now() - 10 * LEASE_MS;
    const requestId = randomUUID();
    await claimed(records, requestId);
    await eventStore.append(`beneficiary-${randomUUID()}`, [event(requestId)], { expectedRevision: 'no_stream' });

    nowMs = Date.now();
    await expect(otherProcess.claim(request(), attempt())).resolves.toMatchObject({ kind: 'claimed' });
  });

  it('lets a retry execute at once after a recorded failure', async () => {
    const first = await claimed(records);
    await records.fail(first, 503);

    const retry = await claimed(otherProcess);

    expect(retry.version).toBe(first.version + 2);
  });

  it('refuses the key for another request, whatever state the first one is in', async () => {
    await claimed(records);

    await expect(otherProcess.claim(request({ amount: '2.00' }), attempt())).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      kind: 'conflict',
    });
  });
});

function event(causationId: string) {
  return {
    id: randomUUID(),
    type: 'TestBeneficiaryChanged',
    data: {},
    metadata: { correlationId: 'c-1', causationId, actor: { userId: 'officer-1', role: 'enrolment-officer' } },
  };
}
