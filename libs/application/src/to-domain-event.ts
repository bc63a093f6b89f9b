import type { RecordedEvent } from '@salur/event-store';
import type { DomainEvent, EventRegistry } from '@salur/kernel';
import { EVENT_SCHEMA_VERSION } from './ledger-context';

/**
 * The one place a recorded event becomes a capability's domain event: undefined when the
 * registry does not list its type; its data upcast, one version at a time, when it was written
 * by an older schema. The data is otherwise trusted, not checked: the log holds only what the
 * deciders wrote. An event without a schemaVersion is read as the current version.
 */
export function toDomainEvent<Event extends DomainEvent>(
  recorded: Pick<RecordedEvent, 'type' | 'data'> & { readonly metadata?: RecordedEvent['metadata'] },
  registry: EventRegistry<Event>,
  currentVersion = EVENT_SCHEMA_VERSION,
): Event | undefined {
  if (!registry.types.has(recorded.type)) return undefined;
  let version = schemaVersionOf(recorded.metadata) ?? currentVersion;
  // The common case, on every hot path (folds, projections): the recorded event is already
  // { type, data, … }, read as the domain event without a copy.
  if (version >= currentVersion) return recorded as unknown as Event;
  let data: Readonly<Record<string, unknown>> = recorded.data;
  for (; version < currentVersion; version++) {
    const upcaster = registry.upcasters.find(
      (candidate) => candidate.type === recorded.type && candidate.fromVersion === version,
    );
    if (upcaster !== undefined) data = upcaster.upcast(data);
  }
  return { type: recorded.type, data } as unknown as Event;
}

/** `toDomainEvent` bound to one registry: the guard a read model or a fold uses. */
export function domainEventsOf<Event extends DomainEvent>(
  registry: EventRegistry<Event>,
): (recorded: Parameters<typeof toDomainEvent>[0]) => Event | undefined {
  return (recorded) => toDomainEvent(recorded, registry);
}

function schemaVersionOf(metadata: RecordedEvent['metadata'] | undefined): number | undefined {
  const version = metadata?.schemaVersion;
  return typeof version === 'number' && Number.isInteger(version) ? version : undefined;
}
