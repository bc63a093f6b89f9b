import type { DomainEvent } from '@salur/kernel';
import { projectInMemory } from '../engine/project-in-memory';
import type { Projection, ReadModelRow } from '../engine/projection';
import { recordedEvents } from './recorded-events';

/** Given these domain events, the rows of one table: projection tests read as given/then. */
export function rowsAfter(projection: Projection, table: string, events: readonly DomainEvent[]): ReadModelRow[] {
  const tables = projectInMemory(projection, recordedEvents(events));
  return [...(tables.get(table)?.values() ?? [])].map((stored) => stored.row);
}
