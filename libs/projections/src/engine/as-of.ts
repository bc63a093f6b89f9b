import type { EventStore, GlobalPosition, RecordedEvent } from '@salur/event-store';
import { invalid } from '@salur/kernel';
import { positionAt } from './position-at';
import { NO_POSITION } from './projection';

/** A point in the log: a global position, or an instant (the last event recorded at or before it). */
export type AsOf = { readonly position: number } | { readonly instant: string };

export interface ResolvedAsOf {
  readonly position: number;
  /** The instant asked for, when the point was given as one. */
  readonly instant?: string;
}

/** The position an as-of query folds up to: never past the log's head. */
export async function resolveAsOf(store: EventStore, asOf: AsOf): Promise<ResolvedAsOf> {
  const head = (await store.headPosition()) ?? NO_POSITION;
  if ('position' in asOf) return { position: Math.min(asOf.position, head) };
  return { position: (await positionAt(store, asOf.instant)) ?? NO_POSITION, instant: asOf.instant };
}

/** The log from its start up to a position, for a fold of the past. */
export async function* logUntil(store: EventStore, position: GlobalPosition): AsyncGenerator<RecordedEvent> {
  for await (const event of store.readAll()) {
    if (event.position > position) return;
    yield event;
  }
}

/** The point a request names: exactly one of `at` (an instant) and `position`. */
export function asOfOf(query: { readonly at?: string; readonly position?: number }): AsOf {
  if ((query.at === undefined) === (query.position === undefined)) {
    throw invalid('AS_OF_REQUIRED', 'Give exactly one of at (an instant) and position', 'at');
  }
  if (query.at === undefined) return { position: query.position as number };
  const instant = Date.parse(query.at);
  if (Number.isNaN(instant)) throw invalid('INVALID_INSTANT', 'at must be an ISO-8601 date or instant', 'at');
  return { instant: new Date(instant).toISOString() };
}
