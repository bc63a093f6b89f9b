import { invalid } from '@salur/kernel';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
/** Cursors are short (two ids and a timestamp); anything longer is not one of ours. */
const MAX_CURSOR_LENGTH = 512;

export interface PageRequest {
  /** 1..MAX_PAGE_SIZE; DEFAULT_PAGE_SIZE when omitted. */
  readonly limit?: number;
  /** The previous page's nextCursor; omitted for the first page. */
  readonly cursor?: string;
}

export interface Page<Item> {
  readonly items: Item[];
  /** Opaque: pass it back for the next page. Null on the last page. */
  readonly nextCursor: string | null;
}

/**
 * Where a page ends in the list's order: the sort value and id of its last row. Lists are ordered
 * by an immutable column (a creation time) and then the unique id, so the order is total and
 * never changes under a reader: every row appears exactly once across pages, even while rows are
 * added or updated between requests (rows added behind the cursor are on no page of this walk).
 */
export type KeysetPosition = readonly [sortValue: string, id: string];

export function pageSizeOf(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw invalid('INVALID_PAGE_SIZE', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`, 'limit');
  }
  return limit;
}

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): KeysetPosition {
  const refuse = () => invalid('INVALID_CURSOR', 'cursor is not one this list returned', 'cursor');
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw refuse();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  if (!Array.isArray(decoded) || decoded.length !== 2 || !decoded.every((part) => typeof part === 'string')) {
    throw refuse();
  }
  return [decoded[0], decoded[1]];
}

/**
 * Reads one page: asks `fetchAfter` for one row more than the page holds, which tells whether
 * another page follows without a COUNT.
 */
export async function readPage<Row extends { readonly id: string }, Item>(
  request: PageRequest,
  fetchAfter: (after: KeysetPosition | undefined, limit: number) => Promise<Row[]>,
  sortValueOf: (row: Row) => string,
  toItem: (row: Row) => Item,
): Promise<Page<Item>> {
  const size = pageSizeOf(request.limit);
  const after = request.cursor === undefined ? undefined : decodeCursor(request.cursor);
  const rows = await fetchAfter(after, size + 1);
  const pageRows = rows.slice(0, size);
  const last = pageRows[pageRows.length - 1];
  const nextCursor = rows.length > size && last !== undefined ? encodeCursor([sortValueOf(last), last.id]) : null;
  return { items: pageRows.map(toItem), nextCursor };
}
