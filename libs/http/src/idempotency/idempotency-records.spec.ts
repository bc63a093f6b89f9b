import {
  decideIdempotency,
  IdempotencyRecord,
  isFinalAnswer,
  recoveredAnswerOf,
  storedAnswerOf,
} from './idempotency-records';

const LEASE_MS = 60_000;
const STARTED_AT = '2026-11-02T08:00:00.000Z';
const startedMs = Date.parse(STARTED_AT);

const record = (changes: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
  requestHash: 'h1',
  state: 'started',
  version: 1,
  requestId: 'r1',
  successStatus: 201,
  fromPosition: 7,
  startedAt: STARTED_AT,
  status: null,
  answer: null,
  ...changes,
});

describe('decideIdempotency', () => {
  it('executes a new key as a new record', () => {
    expect(decideIdempotency(undefined, 'h1', startedMs, LEASE_MS)).toEqual({ kind: 'execute', version: null });
  });

  it('replays a completed request, a refusal as well as a success', () => {
    for (const [status, answer] of [
      [201, { kind: 'json', body: { id: 'p1' } }],
      [422, { kind: 'json', body: { code: 'BUDGET_EXCEEDED' } }],
    ] as const) {
      const completed = record({ state: 'completed', version: 2, status, answer });

      expect(decideIdempotency(completed, 'h1', startedMs, LEASE_MS)).toEqual({ kind: 'replay', status, answer });
    }
  });

  it('refuses the key for another request, whatever the state', () => {
    for (const other of [record({ requestHash: 'h2' }), record({ requestHash: 'h2', state: 'failed', status: 500 })]) {
      expect(decideIdempotency(other, 'h1', startedMs, LEASE_MS)).toEqual({ kind: 'key-reused' });
    }
  });

  it('executes again after a failure, over the failed record', () => {
    const failed = record({ state: 'failed', version: 4, status: 500 });

    expect(decideIdempotency(failed, 'h1', startedMs, LEASE_MS)).toEqual({ kind: 'execute', version: 4 });
  });

  it('waits for a started request during its lease, and looks for what it wrote after', () => {
    const started = record({ version: 3 });

    expect(decideIdempotency(started, 'h1', startedMs + LEASE_MS - 1, LEASE_MS)).toEqual({
      kind: 'in-progress',
      retryAfterSeconds: 1,
    });
    expect(decideIdempotency(started, 'h1', startedMs, LEASE_MS)).toEqual({
      kind: 'in-progress',
      retryAfterSeconds: 5,
    });
    expect(decideIdempotency(started, 'h1', startedMs + LEASE_MS, LEASE_MS)).toEqual({
      kind: 'recover',
      record: started,
    });
  });

  it('refuses to guess about a state it does not know, or a completion without an answer', () => {
    const unknown = record({ state: 'forgotten' as IdempotencyRecord['state'] });

    expect(() => decideIdempotency(unknown, 'h1', startedMs, LEASE_MS)).toThrow(/Unknown idempotency state/);
    expect(() => decideIdempotency(record({ state: 'completed' }), 'h1', startedMs, LEASE_MS)).toThrow(/no answer/);
  });
});

describe('recoveredAnswerOf', () => {
  it('answers the receipt of the last stream written, its id after the stream category', () => {
    expect(recoveredAnswerOf({ streamName: 'beneficiary-9f1c', revision: 0, position: 41 })).toEqual({
      kind: 'json',
      body: { id: '9f1c', revision: 0, position: 41 },
    });
    expect(recoveredAnswerOf({ streamName: 'programme-BANTU-UMAK-2026', revision: 3, position: 7 })).toEqual({
      kind: 'json',
      body: { id: 'BANTU-UMAK-2026', revision: 3, position: 7 },
    });
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
