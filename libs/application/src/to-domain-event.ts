import { AssertionError } from 'node:assert';
import type { RecordedEvent } from '@salur/event-store';
import type { DomainEvent, EventRegistry } from '@salur/kernel';
import { EVENT_SCHEMA_VERSION } from './ledger-context';

/** What reading an event needs of it: a RecordedEvent fits; metadata only for its schemaVersion. */
export type ReadableEvent = Pick<RecordedEvent, 'type' | 'data'> & { readonly metadata?: RecordedEvent['metadata'] };

/**
 * The one place a recorded event becomes a capability's domain event: undefined when the
 * registry does not list its type; its data upcast, one version at a time, when it was written
 * by an older schema. The data is otherwise trusted, not checked: the log holds only what the
 * deciders wrote. An event without a schemaVersion is read as the current version.
 */
export function toDomainEvent<Event extends DomainEvent>(
  recorded: ReadableEvent,
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
): (recorded: ReadableEvent) => Event | undefined {
  return (recorded) => toDomainEvent(recorded, registry);
}

/**
 * `toDomainEvent` for a fold of one aggregate's stream, where every event counts: an event its
 * registry does not list is a bug (a writer the registry forgot), never skipped, since the state
 * folded without it would be wrong.
 */
export function requireDomainEvent<Event extends DomainEvent>(
  recorded: ReadableEvent & Pick<RecordedEvent, 'streamName' | 'revision'>,
  registry: EventRegistry<Event>,
): Event {
  const event = toDomainEvent(recorded, registry);
  if (event === undefined) {
    throw new AssertionError({
      message:
        `${recorded.streamName} holds a ${recorded.type} event at revision ${recorded.revision} that its ` +
        `registry does not list (${[...registry.types].join(', ')}): add the type to the registry or fix its writer`,
    });
  }
  return event;
}

function schemaVersionOf(metadata: RecordedEvent['metadata'] | undefined): number | undefined {
  const version = metadata?.schemaVersion;
  return typeof version === 'number' && Number.isInteger(version) ? version : undefined;
}
