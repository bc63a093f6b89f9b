import type { EventStore, GlobalPosition } from '@salur/event-store';
import type { Progress } from './progress';

/** How often a long request's progress is read from the log. */
const COUNT_EVERY_MS = 1_000;

/**
 * Counts the events of one type appended to the log since it was made, reading only what is new
 * each time. Some steps do thousands of appends inside one request (a submission marks every
 * payment sent) or one job step (a batch claims its payments): their events are their progress.
 */
export class AppendedEvents {
  private seen = 0;

  private constructor(
    private readonly store: EventStore,
    private readonly type: string,
    private after: GlobalPosition | undefined,
  ) {}

  static async from(store: EventStore, type: string): Promise<AppendedEvents> {
    return new AppendedEvents(store, type, await store.headPosition());
  }

  async count(): Promise<number> {
    for await (const event of this.store.readAll(this.after === undefined ? {} : { from: this.after })) {
      this.after = event.position;
      if (event.type === this.type) this.seen++;
    }
    return this.seen;
  }
}

/** Runs one long request as a phase whose counts are the events of `type` it appends. */
export async function countedRequest<T>(
  store: EventStore,
  progress: Progress,
  phase: { readonly title: string; readonly total: number; readonly unit: string; readonly eventType: string },
  request: () => Promise<T>,
): Promise<T> {
  const shown = progress.phase(phase.title, phase.total, phase.unit);
  const appended = await AppendedEvents.from(store, phase.eventType);
  let answered = false;
  const watching = (async () => {
    while (!answered) {
      shown.update(Math.min(await appended.count(), phase.total));
      await new Promise((resolve) => setTimeout(resolve, COUNT_EVERY_MS));
    }
  })();
  let answer: T;
  try {
    answer = await request();
  } finally {
    answered = true;
    await watching;
  }
  shown.finish();
  return answer;
}
