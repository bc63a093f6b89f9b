import type { EventStore, GlobalPosition } from '@salur/event-store';

/**
 * The position of the last event the log recorded at or before `instant`, undefined if none was.
 * A binary search over positions, one single-event read per step (about 20 for a million
 * events). It relies on `recordedAt` growing along the log, which holds for the SQL stores
 * (one writer at a time draws positions and stamps the time).
 */
export async function positionAt(store: EventStore, instant: string): Promise<GlobalPosition | undefined> {
  const head = await store.headPosition();
  if (head === undefined) return undefined;
  let answer: GlobalPosition | undefined;
  let low = 0;
  let high = head;
  while (low <= high) {
    const middle = Math.floor((low + high) / 2);
    const event = await firstFrom(store, middle);
    if (event === undefined || event.position > high) {
      high = middle - 1;
    } else if (event.recordedAt <= instant) {
      answer = event.position;
      low = event.position + 1;
    } else {
      high = middle - 1;
    }
  }
  return answer;
}

async function firstFrom(store: EventStore, position: GlobalPosition) {
  for await (const event of store.readAll({ from: position - 1, maxCount: 1 })) return event;
  return undefined;
}
