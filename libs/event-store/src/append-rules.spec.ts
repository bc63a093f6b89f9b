import { confirmRetry, planAppend, serializeAppend, DEFAULT_APPEND_LIMITS } from './append-rules';
import { AppendTooLargeError, InvalidAppendError } from './errors';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('planAppend: how the SQL adapters judge an expected revision', () => {
  it.each([
    ['no_stream, stream missing', 'no_stream' as const, -1, undefined, { kind: 'write', firstRevision: 0 }],
    ['no_stream, stream exists', 'no_stream' as const, 3, undefined, { kind: 'verify-retry', fromRevision: 0 }],
    ['exact match', 3, 3, undefined, { kind: 'write', firstRevision: 4 }],
    ['exact, stream moved on', 3, 7, undefined, { kind: 'verify-retry', fromRevision: 4 }],
    ['exact, stream behind', 5, 3, undefined, { kind: 'conflict' }],
    ['stream_exists, missing', 'stream_exists' as const, -1, undefined, { kind: 'conflict' }],
    ['stream_exists, exists', 'stream_exists' as const, 2, undefined, { kind: 'write', firstRevision: 3 }],
    ['any, first id already stored', 'any' as const, 9, 4, { kind: 'verify-retry', fromRevision: 4 }],
    ['any, new ids', 'any' as const, 9, undefined, { kind: 'write', firstRevision: 10 }],
  ])('%s', (_, expected, current, revisionOfFirst, plan) => {
    expect(planAppend(expected, current, revisionOfFirst)).toEqual(plan);
  });
});

describe('confirmRetry', () => {
  const stored = [1, 2, 3].map((n) => ({ id: id(n), revision: n + 10, position: n * 100 }));

  it('accepts the same ids in the same order and answers with the stored result', () => {
    expect(confirmRetry([id(1), id(2), id(3)], stored)).toEqual({ nextExpectedRevision: 13, position: 300 });
  });

  it.each([
    ['a different id', [id(1), id(9), id(3)]],
    ['another order', [id(2), id(1), id(3)]],
    ['more events than stored', [id(1), id(2), id(3), id(4)]],
  ])('refuses %s', (_, ids) => {
    expect(confirmRetry(ids, stored.slice(0, Math.min(ids.length, 3)))).toBeUndefined();
  });
});

describe('serializeAppend', () => {
  const valid = { id: id(1), type: 'PaymentScheduled', data: { amountRupiah: '600000.00' } };

  it('serializes data and defaults metadata to an empty object', () => {
    expect(serializeAppend('payment-1', [valid], DEFAULT_APPEND_LIMITS)).toEqual([
      { id: id(1), type: 'PaymentScheduled', data: '{"amountRupiah":"600000.00"}', metadata: '{}' },
    ]);
  });

  it.each([
    ['an empty append', 'payment-1', [], /has no events/],
    ['a non-uuid id', 'payment-1', [{ ...valid, id: 'abc' }], /not a lower-case UUID/],
    ['a repeated id', 'payment-1', [valid, valid], /appears twice/],
    ['an empty type', 'payment-1', [{ ...valid, type: '' }], /event type must be 1 to 256/],
    ['a system stream', '$all', [valid], /may not start with '\$'/],
  ])('refuses %s', (_, stream, events, message) => {
    expect(() => serializeAppend(stream, events, DEFAULT_APPEND_LIMITS)).toThrow(InvalidAppendError);
    expect(() => serializeAppend(stream, events, DEFAULT_APPEND_LIMITS)).toThrow(message);
  });

  it('counts the bytes of data and metadata (UTF-8) against the limit', () => {
    const limits = { ...DEFAULT_APPEND_LIMITS, maxAppendBytes: 1_024 };
    // 510 characters fit in 1,024; as two-byte UTF-8 they do not.
    const ascii = { ...valid, data: { name: 'e'.repeat(510) } };
    const accented = { ...valid, data: { name: 'é'.repeat(510) } };
    expect(() => serializeAppend('s', [ascii], limits)).not.toThrow();
    expect(() => serializeAppend('s', [accented], limits)).toThrow(AppendTooLargeError);
  });
});
