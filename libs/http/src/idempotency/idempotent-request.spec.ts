import { canonicalJson, idempotentRequestOf, parseIdempotencyKey } from './idempotent-request';

describe('parseIdempotencyKey', () => {
  it.each(['a', 'order 17/2026-11', '~'.repeat(200)])('accepts %s', (key) => {
    expect(parseIdempotencyKey(key)).toBe(key);
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(201)],
    ['non-ASCII', 'clé'],
    ['a control character', 'a\tb'],
    ['repeated', ['a', 'b']],
  ])('refuses one that is %s', (_, key) => {
    expect(() => parseIdempotencyKey(key)).toThrow(
      expect.objectContaining({ code: 'INVALID_IDEMPOTENCY_KEY', kind: 'invalid' }),
    );
  });
});

describe('idempotentRequestOf', () => {
  const body = { amount: '1.00', items: [{ b: 1, a: 2 }] };

  it('gives one record per (user, key) and keeps both out of its id', () => {
    const mine = idempotentRequestOf('officer-1', 'key', 'POST', '/p', body);

    expect(mine.keyId).toMatch(/^[0-9a-f]{64}$/);
    expect(idempotentRequestOf('officer-1', 'key', 'POST', '/q', {}).keyId).toBe(mine.keyId);
    expect(idempotentRequestOf('officer-2', 'key', 'POST', '/p', body).keyId).not.toBe(mine.keyId);
  });

  it('cannot confuse user and key boundaries', () => {
    expect(idempotentRequestOf('ab', 'c', 'POST', '/p', body).keyId).not.toBe(
      idempotentRequestOf('a', 'bc', 'POST', '/p', body).keyId,
    );
  });

  it('hashes method, path with query and body, but not the order of keys', () => {
    const hash = (method: string, path: string, requestBody: unknown) =>
      idempotentRequestOf('u', 'k', method, path, requestBody).requestHash;
    const reference = hash('POST', '/p?x=1', body);

    expect(hash('POST', '/p?x=1', { items: [{ a: 2, b: 1 }], amount: '1.00' })).toBe(reference);
    expect(hash('PUT', '/p?x=1', body)).not.toBe(reference);
    expect(hash('POST', '/p?x=2', body)).not.toBe(reference);
    expect(hash('POST', '/p?x=1', { ...body, amount: '1.0' })).not.toBe(reference);
    expect(hash('POST', '/p?x=1', { ...body, items: [{ a: 1, b: 2 }] })).not.toBe(reference);
  });
});

describe('canonicalJson', () => {
  it('sorts object keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: [3, { d: 1, c: 2 }], a: null, u: undefined })).toBe('{"a":null,"b":[3,{"c":2,"d":1}]}');
  });

  it('refuses a nesting beyond its bound instead of overflowing the stack', () => {
    let value: unknown = 1;
    for (let level = 0; level < 100; level++) value = [value];

    expect(() => canonicalJson(value)).toThrow(expect.objectContaining({ code: 'JSON_TOO_DEEP' }));
  });
});
