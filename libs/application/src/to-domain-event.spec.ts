import { AssertionError } from 'node:assert';
import { DomainEvent, eventRegistry, Upcaster } from '@salur/kernel';
import { requireDomainEvent, toDomainEvent } from './to-domain-event';

/*
 * How an event changes shape without rewriting the log: a made-up ThingHappened whose v1 data
 * held the amount as a number; v2 holds it as a decimal string named amountRupiah. The v1 facts
 * stay in the log as they were written; one upcaster reads them as v2.
 */
type ThingHappened = DomainEvent<'ThingHappened', { readonly thingId: string; readonly amountRupiah: string }>;
type ThingForgotten = DomainEvent<'ThingForgotten', { readonly thingId: string }>;
type ThingEvent = ThingHappened | ThingForgotten;

const amountAsDecimalString: Upcaster = {
  type: 'ThingHappened',
  fromVersion: 1,
  upcast: ({ amount, ...rest }) => ({ ...rest, amountRupiah: (amount as number).toFixed(2) }),
};
const THING_EVENTS = eventRegistry<ThingEvent>({ ThingHappened: true, ThingForgotten: true }, [amountAsDecimalString]);
const CURRENT_VERSION = 2;

const recorded = (type: string, data: Record<string, unknown>, metadata?: Record<string, unknown>) => ({
  type,
  data,
  metadata,
});

describe('toDomainEvent', () => {
  it('reads an event written by an older schema through its upcaster', () => {
    const v1 = recorded('ThingHappened', { thingId: 't-1', amount: 600000 }, { schemaVersion: 1 });
    expect(toDomainEvent(v1, THING_EVENTS, CURRENT_VERSION)).toEqual({
      type: 'ThingHappened',
      data: { thingId: 't-1', amountRupiah: '600000.00' },
    });
  });

  it('leaves an older event alone when its type has no upcaster for that version', () => {
    const v1 = recorded('ThingForgotten', { thingId: 't-1' }, { schemaVersion: 1 });
    expect(toDomainEvent(v1, THING_EVENTS, CURRENT_VERSION)).toEqual({
      type: 'ThingForgotten',
      data: { thingId: 't-1' },
    });
  });

  it('returns an event of the current version as it is, without a copy', () => {
    const v2 = recorded('ThingHappened', { thingId: 't-1', amountRupiah: '1.00' }, { schemaVersion: 2 });
    expect(toDomainEvent(v2, THING_EVENTS, CURRENT_VERSION)).toBe(v2);
  });

  it('reads an event without a schemaVersion as the current version', () => {
    const unversioned = recorded('ThingHappened', { thingId: 't-1', amountRupiah: '1.00' }, {});
    const withoutMetadata = recorded('ThingHappened', { thingId: 't-1', amountRupiah: '1.00' });
    expect(toDomainEvent(unversioned, THING_EVENTS, CURRENT_VERSION)).toBe(unversioned);
    expect(toDomainEvent(withoutMetadata, THING_EVENTS, CURRENT_VERSION)).toBe(withoutMetadata);
  });

  it('gives undefined for a type the registry does not list', () => {
    expect(toDomainEvent(recorded('SomethingElse', {}, { schemaVersion: 1 }), THING_EVENTS, CURRENT_VERSION)).toBe(
      undefined,
    );
  });
});

describe('requireDomainEvent', () => {
  const inStream = (type: string) => ({
    ...recorded(type, { thingId: 't-1' }, {}),
    streamName: 'thing-t-1',
    revision: 3,
  });

  it('returns the event of a listed type', () => {
    const event = inStream('ThingForgotten');
    expect(requireDomainEvent(event, THING_EVENTS)).toBe(event);
  });

  // A fold that skipped the event would give a wrong state: the reader must stop instead.
  it('throws an assertion naming the stream, revision and type of an event the registry does not list', () => {
    const read = () => requireDomainEvent(inStream('SomethingElse'), THING_EVENTS);
    expect(read).toThrow(AssertionError);
    expect(read).toThrow(/thing-t-1 holds a SomethingElse event at revision 3/);
  });
});
