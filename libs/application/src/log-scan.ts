import type { EventStore } from '@salur/event-store';

/** Events read per page of the log scan: a bound on what one read holds. */
const SCAN_PAGE = 5_000;

/**
 * Visits every event of the log up to its head when the scan starts, page by page. The log is
 * the truth and never lags (a read model may); use it where a missed event would be a wrong
 * answer, not a stale one (who is in a round, which payments a round has).
 */
export async function scanLog(
  store: EventStore,
  visit: (type: string, data: Readonly<Record<string, unknown>>) => void,
): Promise<void> {
  const head = await store.headPosition();
  if (head === undefined) return;
  let after: number | undefined;
  for (;;) {
    let last: number | undefined;
    for await (const event of store.readAll({ from: after, maxCount: SCAN_PAGE })) {
      if (event.position > head) return;
      visit(event.type, event.data);
      last = event.position;
    }
    if (last === undefined || last >= head) return;
    after = last;
  }
}
