import type { RecordedEvent } from './event-store.port';

/** Rows fetched per query: keeps memory flat for a stream or log of any length. */
export const READ_PAGE_SIZE = 1_000;

export interface PagedReadSpec {
  readonly start: number;
  readonly maxCount?: number;
  readPage(from: number, count: number): Promise<RecordedEvent[]>;
  /** The bound for the next page, given the last event of this one. */
  next(last: RecordedEvent): number;
}

/** Reads page after page until the source runs dry or maxCount events were delivered. */
export async function* pagedRead(spec: PagedReadSpec): AsyncGenerator<RecordedEvent> {
  let remaining = spec.maxCount ?? Number.POSITIVE_INFINITY;
  let from = spec.start;
  while (remaining > 0) {
    const count = Math.min(READ_PAGE_SIZE, remaining);
    const page = await spec.readPage(from, count);
    for (const event of page) yield event;
    if (page.length < count) return;
    remaining -= page.length;
    from = spec.next(page[page.length - 1]);
  }
}
