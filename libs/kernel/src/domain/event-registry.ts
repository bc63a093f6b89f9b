import type { DomainEvent } from './domain-event';

/**
 * Rewrites the data of one event type written at `fromVersion` into its shape at
 * `fromVersion + 1`. A breaking change to an event gets one upcaster; the log is never rewritten.
 */
export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  upcast(data: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>>;
}

/**
 * The event types one capability writes, and the upcasters that read its older events. It is
 * data, declared in the capability's domain; `toDomainEvent` (libs/application) is the one place
 * that reads a recorded event through it.
 */
export interface EventRegistry<Event extends DomainEvent> {
  readonly types: ReadonlySet<Event['type']>;
  readonly upcasters: readonly Upcaster[];
}

/**
 * A registry from one key per event type: the compiler refuses a list that misses a type of the
 * union, so a new event cannot be forgotten by the readers that use the registry.
 */
export function eventRegistry<Event extends DomainEvent>(
  types: { readonly [Type in Event['type']]: true },
  upcasters: readonly Upcaster[] = [],
): EventRegistry<Event> {
  return { types: new Set(Object.keys(types) as Event['type'][]), upcasters };
}

/** The registry of a few of a capability's events: for readers that care about no others. */
export function subsetOf<Event extends DomainEvent, Type extends Event['type']>(
  registry: EventRegistry<Event>,
  types: readonly Type[],
): EventRegistry<Extract<Event, { type: Type }>> {
  return {
    types: new Set(types),
    upcasters: registry.upcasters.filter((upcaster) => types.includes(upcaster.type as Type)),
  };
}

/** Whether an event (already read as the current schema) is one of the registry's. */
export function isEventOf<Event extends DomainEvent>(
  registry: EventRegistry<Event>,
  event: { readonly type: string; readonly data: object },
): event is Event {
  return registry.types.has(event.type as Event['type']);
}
