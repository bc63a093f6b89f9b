/**
 * Streams.Read: reads of one stream or of $all, forwards or backwards, and catch-up
 * subscriptions (the same RPC with the `subscription` option instead of `count`).
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { InMemoryEventLog, StoredEvent } from './event-log';
import type { OpenCalls } from './open-calls';
import { InvalidRequestError, parseUint64, readEventMessage, streamIdentifier, streamNameOf } from './protocol';

type ReadCall = grpc.ServerWritableStream<ReadReq, ReadResp>;
type Options = ReadReq.Options;
type EventFilter = (event: StoredEvent) => boolean;
type Direction = 'forwards' | 'backwards';

/** Hands out events one by one as they become readable; undefined until the next append. */
interface Cursor {
  next(): StoredEvent | undefined;
}

export function createReadHandler(
  log: InMemoryEventLog,
  openCalls: OpenCalls,
): grpc.handleServerStreamingCall<ReadReq, ReadResp> {
  return (call) => {
    const lifetime = openCalls.track(call);
    serveRead(call, log, lifetime.signal)
      .then(() => {
        if (!lifetime.signal.aborted) call.end();
      })
      .catch((error: unknown) => {
        if (!lifetime.signal.aborted) call.emit('error', toServiceError(error));
      })
      .finally(() => lifetime.release());
  };
}

async function serveRead(call: ReadCall, log: InMemoryEventLog, signal: AbortSignal): Promise<void> {
  const options = call.request.getOptions();
  if (!options) throw new InvalidRequestError('options are required');
  const send = (message: ReadResp) => sendWithBackpressure(call, message, signal);
  const toMessage = (event: StoredEvent) => readEventMessage(event, options.getUuidOption());
  const filter = eventFilterOf(options);

  if (options.hasSubscription()) {
    if (directionOf(options) === 'backwards') throw new InvalidRequestError('subscriptions only read forwards');
    await send(new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())));
    await pumpSubscription(subscriptionCursor(log, options), filter, toMessage, send, log, signal);
    return;
  }

  if (!options.hasCount()) throw new InvalidRequestError('either count or subscription is required');
  const count = parseUint64(options.getCount(), 'count');
  if (options.hasStream()) {
    const streamName = streamNameOf(options.getStream()?.getStreamIdentifier());
    const events = log.streamEvents(streamName);
    if (!events) return send(streamNotFound(streamName));
    return sendAll(take(streamRead(events, options), count), toMessage, send, signal);
  }
  return sendAll(take(filtered(allRead(log, options), filter), count), toMessage, send, signal);
}

/** The server answers a read of a missing stream with this message; the client throws StreamNotFoundError. */
function streamNotFound(streamName: string): ReadResp {
  const notFound = new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(streamName));
  return new ReadResp().setStreamNotFound(notFound);
}

async function sendAll(
  events: Iterable<StoredEvent>,
  toMessage: (event: StoredEvent) => ReadResp,
  send: (message: ReadResp) => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  for (const event of events) {
    if (signal.aborted) return;
    await send(toMessage(event));
  }
}

/**
 * Past events, a CaughtUp marker (as recent servers send), then live events as they are
 * appended, until the client cancels. One cursor serves both phases, so nothing appended
 * while catching up is lost or delivered twice.
 */
async function pumpSubscription(
  cursor: Cursor,
  filter: EventFilter,
  toMessage: (event: StoredEvent) => ReadResp,
  send: (message: ReadResp) => Promise<void>,
  log: InMemoryEventLog,
  signal: AbortSignal,
): Promise<void> {
  let caughtUp = false;
  while (!signal.aborted) {
    for (let event = cursor.next(); event && !signal.aborted; event = cursor.next()) {
      if (filter(event)) await send(toMessage(event));
    }
    if (!caughtUp) {
      caughtUp = true;
      await send(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
      continue; // events may have arrived while the marker was sent
    }
    // No await between the empty cursor above and this registration: no append slips through.
    await log.nextAppend(signal);
  }
}

/** Subscriptions start after the given revision or position, never at it. */
function subscriptionCursor(log: InMemoryEventLog, options: Options): Cursor {
  const stream = options.getStream();
  if (stream) {
    const streamName = streamNameOf(stream.getStreamIdentifier());
    let revision = stream.hasStart()
      ? 0
      : stream.hasEnd()
        ? (log.streamEvents(streamName)?.length ?? 0)
        : parseUint64(stream.getRevision(), 'revision') + 1;
    return {
      next: () => {
        const event = log.streamEvents(streamName)?.[revision];
        if (event) revision++;
        return event;
      },
    };
  }
  const all = requireAllOptions(options);
  let index = all.hasStart()
    ? 0
    : all.hasEnd()
      ? log.allEvents().length
      : log.indexAtOrAfter(commitPositionOf(all) + 1);
  return {
    next: () => {
      const event = log.allEvents()[index];
      if (event) index++;
      return event;
    },
  };
}

/** Forwards from a revision includes it; backwards from a revision includes it too. */
function* streamRead(events: readonly StoredEvent[], options: Options): Generator<StoredEvent> {
  const stream = options.getStream() as ReadReq.Options.StreamOptions;
  const last = events.length - 1;
  if (directionOf(options) === 'forwards') {
    const from = stream.hasStart() ? 0 : stream.hasEnd() ? last + 1 : parseUint64(stream.getRevision(), 'revision');
    for (let revision = from; revision <= last; revision++) yield events[revision];
  } else {
    const from = stream.hasStart() ? 0 : stream.hasEnd() ? last : parseUint64(stream.getRevision(), 'revision');
    for (let revision = Math.min(from, last); revision >= 0; revision--) yield events[revision];
  }
}

/**
 * $all from a position: forwards includes the event at the position, backwards starts with
 * the event before it, as the server's log reader does.
 */
function* allRead(log: InMemoryEventLog, options: Options): Generator<StoredEvent> {
  const all = requireAllOptions(options);
  const events = log.allEvents();
  if (directionOf(options) === 'forwards') {
    const from = all.hasStart() ? 0 : all.hasEnd() ? events.length : log.indexAtOrAfter(commitPositionOf(all));
    for (let index = from; index < events.length; index++) yield events[index];
  } else {
    const from = all.hasStart() ? -1 : all.hasEnd() ? events.length - 1 : log.indexAtOrAfter(commitPositionOf(all)) - 1;
    for (let index = from; index >= 0; index--) yield events[index];
  }
}

function* filtered(events: Iterable<StoredEvent>, filter: EventFilter): Generator<StoredEvent> {
  for (const event of events) if (filter(event)) yield event;
}

function* take(events: Iterable<StoredEvent>, count: number): Generator<StoredEvent> {
  if (count <= 0) return;
  let taken = 0;
  for (const event of events) {
    yield event;
    if (++taken >= count) return;
  }
}

/**
 * A server-side filter includes the events whose event type (or stream name) matches the
 * regex, or starts with one of the prefixes. `excludeSystemEvents()` sends `^[^$].*`.
 * Checkpoint messages and the search window are not implemented.
 */
function eventFilterOf(options: Options): EventFilter {
  const filter = options.getFilter();
  if (!filter) return () => true;
  if (options.hasStream()) throw new InvalidRequestError('filters apply to $all only');
  const onEventType = filter.hasEventType();
  const expression = onEventType ? filter.getEventType() : filter.getStreamIdentifier();
  if (!expression) throw new InvalidRequestError('a filter needs an event type or stream expression');
  const field = (event: StoredEvent) => (onEventType ? event.type : event.streamName);
  const regex = expression.getRegex();
  if (regex) {
    const pattern = new RegExp(regex);
    return (event) => pattern.test(field(event));
  }
  const prefixes = expression.getPrefixList();
  return (event) => prefixes.some((prefix) => field(event).startsWith(prefix));
}

function directionOf(options: Options): Direction {
  return options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS ? 'backwards' : 'forwards';
}

function requireAllOptions(options: Options): ReadReq.Options.AllOptions {
  const all = options.getAll();
  if (!all) throw new InvalidRequestError('a read needs stream or all options');
  return all;
}

/** Commit and prepare positions are equal in the double; the commit position decides. */
function commitPositionOf(all: ReadReq.Options.AllOptions): number {
  return parseUint64(all.getPosition()?.getCommitPosition() ?? '0', 'commit position');
}

/** Respects HTTP/2 flow control: a client that stops reading stops the writer. */
async function sendWithBackpressure(call: ReadCall, message: ReadResp, signal: AbortSignal): Promise<void> {
  if (signal.aborted || call.write(message)) return;
  try {
    await once(call, 'drain', { signal });
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}

function toServiceError(error: unknown): Partial<grpc.StatusObject> & Error {
  const code = error instanceof InvalidRequestError ? grpc.status.INVALID_ARGUMENT : grpc.status.INTERNAL;
  const details = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(details), { code, details });
}
