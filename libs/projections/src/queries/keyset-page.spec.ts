import { DomainError } from '@salur/kernel';
import { decodeCursor, encodeCursor, MAX_PAGE_SIZE, pageSizeOf, readPage } from './keyset-page';

describe('keyset pages', () => {
  it('round-trips a position through an opaque, URL-safe cursor', () => {
    const cursor = encodeCursor(['2026-11-01T00:00:00.000Z', 'pay/1?+']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(['2026-11-01T00:00:00.000Z', 'pay/1?+']);
  });

  it.each([
    '',
    'not base64!',
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('[1,2]').toString('base64url'),
    'x'.repeat(600),
  ])('refuses a cursor it did not make: %s', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR', kind: 'invalid' }));
  });

  it('bounds the page size to 1..500, 50 by default', () => {
    expect(pageSizeOf(undefined)).toBe(50);
    expect(pageSizeOf(MAX_PAGE_SIZE)).toBe(500);
    for (const bad of [0, 501, 2.5, Number.NaN]) expect(() => pageSizeOf(bad)).toThrow(DomainError);
  });

  it('asks for one row more than the page to know whether another follows', async () => {
    const rows = Array.from({ length: 5 }, (_, index) => ({ id: `r${index}`, at: `t${index}` }));
    const fetch = jest.fn(async (after: readonly [string, string] | undefined, limit: number) =>
      rows.filter((row) => after === undefined || row.id > after[1]).slice(0, limit),
    );
    const first = await readPage(
      { limit: 2 },
      fetch,
      (row) => row.at,
      (row) => row.id,
    );
    expect(first.items).toEqual(['r0', 'r1']);
    expect(fetch).toHaveBeenLastCalledWith(undefined, 3);
    const last = await readPage(
      { limit: 3, cursor: encodeCursor(['t1', 'r1']) },
      fetch,
      (row) => row.at,
      (row) => row.id,
    );
    expect(last).toEqual({ items: ['r2', 'r3', 'r4'], nextCursor: null });
  });
});
