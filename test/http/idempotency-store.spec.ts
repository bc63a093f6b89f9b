import { randomUUID } from 'node:crypto';
import { SqliteEventStore, WrongExpectedRevisionError } from '@salur/event-store';
import {
  DEFAULT_IDEMPOTENCY_CONFIG,
  EventMetadata,
  IdempotencyInProgressError,
  idempotentRequestOf,
  IdempotencyStore,
} from '@salur/http';

/**
 * The idempotency records against a real adapter (SQLite in memory) with a clock of the test's
 * own: the lease is checked by moving the clock, never by waiting.
 */
const metadata: EventMetadata = {
  actor: { userId: 'officer-1', role: 'finance-officer' },
  correlationId: 'c-1',
  causationId: randomUUID(),
  occurredAt: '2026-11-02T08:00:00.000Z',
  schemaVersion: 1,
};
const LEASE_MS = DEFAULT_IDEMPOTENCY_CONFIG.inProgressLeaseMs;

let eventStore: SqliteEventStore;
let nowMs: number;
let records: IdempotencyStore;
beforeEach(() => {
  eventStore = new SqliteEventStore({ path: ':memory:', limits: { maxAppendBytes: 4_096, maxEventsPerAppend: 100 } });
  nowMs = Date.parse('2026-11-02T08:00:00.000Z');
  records = new IdempotencyStore(eventStore, DEFAULT_IDEMPOTENCY_CONFIG, () => nowMs);
});
afterEach(() => eventStore.close());

const request = (body: unknown = { amount: '1.00' }) =>
  idempotentRequestOf('officer-1', 'key-1', 'POST', '/payments', body);

it('lets exactly one of two concurrent claims on a key execute', async () => {
  const outcomes = await Promise.allSettled([records.claim(request(), metadata), records.claim(request(), metadata)]);

  const claimed = outcomes.filter((outcome) => outcome.status === 'fulfilled');
  const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
  expect(claimed).toHaveLength(1);
  expect(refused).toHaveLength(1);
  expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(IdempotencyInProgressError);
});

it('lets a retry take over a request whose process died, only once the lease has ended', async () => {
  const abandoned = await records.claim(request(), metadata);

  nowMs += LEASE_MS - 1;
  await expect(records.claim(request(), metadata)).rejects.toBeInstanceOf(IdempotencyInProgressError);
  nowMs += 1;
  const takeover = await records.claim(request(), metadata);

  expect(takeover).toMatchObject({ kind: 'claimed', claim: { startedRevision: 1 } });
  // The abandoned attempt, should it wake up, cannot record over the one that took over.
  if (abandoned.kind !== 'claimed' || takeover.kind !== 'claimed') throw new Error('expected two claims');
  await expect(
    records.complete(abandoned.claim, 201, { kind: 'json', body: { from: 'abandoned' } }, metadata),
  ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
  await records.complete(takeover.claim, 201, { kind: 'json', body: { from: 'takeover' } }, metadata);
  await expect(records.claim(request(), metadata)).resolves.toEqual({
    kind: 'replay',
    status: 201,
    answer: { kind: 'json', body: { from: 'takeover' } },
  });
});

it('lets a retry execute at once after a recorded failure', async () => {
  const first = await records.claim(request(), metadata);
  if (first.kind !== 'claimed') throw new Error('expected a claim');
  await records.fail(first.claim, 503, metadata);

  await expect(records.claim(request(), metadata)).resolves.toMatchObject({
    kind: 'claimed',
    claim: { startedRevision: 2 },
  });
});

it('refuses the key for another request, whatever state the first one is in', async () => {
  await records.claim(request(), metadata);

  await expect(records.claim(request({ amount: '2.00' }), metadata)).rejects.toMatchObject({
    code: 'IDEMPOTENCY_KEY_REUSED',
    kind: 'conflict',
  });
});

it('keeps the status but not the body of an answer the store cannot hold', async () => {
  const first = await records.claim(request(), metadata);
  if (first.kind !== 'claimed') throw new Error('expected a claim');

  await records.complete(first.claim, 201, { kind: 'json', body: { list: 'x'.repeat(5_000) } }, metadata);

  await expect(records.claim(request(), metadata)).resolves.toEqual({
    kind: 'replay',
    status: 201,
    answer: { kind: 'omitted', bytes: expect.any(Number) },
  });
});
