import { decideIdempotency, isFinalAnswer, LastIdempotencyEvent, storedAnswerOf } from './idempotency-records';

const LEASE_MS = 60_000;
const STARTED_AT = '2026-11-02T08:00:00.000Z';
const startedMs = Date.parse(STARTED_AT);

const started = (revision = 0, requestHash = 'h1'): LastIdempotencyEvent => ({
  type: 'IdempotentRequestStarted',
  revision,
  data: { requestHash, at: STARTED_AT },
});

describe('decideIdempotency', () => {
  it('executes a new key on a stream that must not exist yet', () => {
    expect(decideIdempotency(undefined, 'h1', startedMs, LEASE_MS)).toEqual({
      kind: 'execute',
      expectedRevision: 'no_stream',
    });
  });

  it('replays a completed request', () => {
    const completed = {
      type: 'IdempotentRequestCompleted',
      revision: 1,
      data: { requestHash: 'h1', status: 201, answer: { kind: 'json', body: { id: 'p1' } } },
    };

    expect(decideIdempotency(completed, 'h1', startedMs, LEASE_MS)).toEqual({
      kind: 'replay',
      status: 201,
      answer: { kind: 'json', body: { id: 'p1' } },
    });
  });

  it('refuses the key for another request, whatever the state', () => {
    for (const last of [
      started(0, 'h2'),
      { type: 'IdempotentRequestFailed', revision: 1, data: { requestHash: 'h2' } },
    ]) {
      expect(decideIdempotency(last, 'h1', startedMs, LEASE_MS)).toEqual({ kind: 'key-reused' });
    }
  });

  it('executes again after a failure, after the failure', () => {
    const failed = { type: 'IdempotentRequestFailed', revision: 3, data: { requestHash: 'h1', status: 500 } };

    expect(decideIdempotency(failed, 'h1', startedMs, LEASE_MS)).toEqual({ kind: 'execute', expectedRevision: 3 });
  });

  it('waits for a started request during its lease, and takes it over after', () => {
    expect(decideIdempotency(started(2), 'h1', startedMs + LEASE_MS - 1, LEASE_MS)).toEqual({
      kind: 'in-progress',
      retryAfterSeconds: 1,
    });
    expect(decideIdempotency(started(2), 'h1', startedMs, LEASE_MS)).toEqual({
      kind: 'in-progress',
      retryAfterSeconds: 5,
    });
    expect(decideIdempotency(started(2), 'h1', startedMs + LEASE_MS, LEASE_MS)).toEqual({
      kind: 'execute',
      expectedRevision: 2,
    });
  });

  it('refuses to guess about an event it does not know', () => {
    const unknown = { type: 'IdempotentRequestForgotten', revision: 0, data: { requestHash: 'h1' } };

    expect(() => decideIdempotency(unknown, 'h1', startedMs, LEASE_MS)).toThrow(/Unknown idempotency event/);
  });
});

describe('isFinalAnswer', () => {
  it.each([
    [200, undefined, true],
    [201, undefined, true],
    [204, undefined, true],
    [400, 'VALIDATION_FAILED', true],
    [404, 'NOT_FOUND', true],
    [409, 'PROGRAMME_EXISTS', true],
    [422, 'BUDGET_EXCEEDED', true],
    [409, 'CONCURRENCY_CONFLICT', false],
    [408, 'REQUEST_TIMEOUT', false],
    [429, 'TOO_MANY_REQUESTS', false],
    [500, 'INTERNAL_ERROR', false],
    [503, 'QUEUE_UNAVAILABLE', false],
  ])('%s %s → %s', (status, code, final) => {
    expect(isFinalAnswer(status, code)).toBe(final);
  });
});

describe('storedAnswerOf', () => {
  it('keeps JSON, text and empty answers as Nest sends them', () => {
    expect(storedAnswerOf({ id: 'p1', at: new Date('2026-11-02T08:00:00Z') }, 1_000)).toEqual({
      kind: 'json',
      body: { id: 'p1', at: '2026-11-02T08:00:00.000Z' },
    });
    expect(storedAnswerOf([1, 2], 1_000)).toEqual({ kind: 'json', body: [1, 2] });
    expect(storedAnswerOf('ok', 1_000)).toEqual({ kind: 'text', body: 'ok' });
    expect(storedAnswerOf(undefined, 1_000)).toEqual({ kind: 'empty' });
  });

  it('keeps only the size of an answer over the bound', () => {
    expect(storedAnswerOf({ list: 'x'.repeat(2_000) }, 1_000)).toEqual({ kind: 'omitted', bytes: 2_011 });
  });
});
