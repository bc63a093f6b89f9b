import {
  ANY,
  AppendExpectedRevision,
  BACKWARDS,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  Position,
  ReadPosition,
  ReadRevision,
  ResolvedEvent,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { AppendLimits, assertExpectedRevision, DEFAULT_APPEND_LIMITS, serializeAppend } from '../append-rules';
import { pagedRead, READ_PAGE_SIZE } from '../paged-read';
import { WrongExpectedRevisionError } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  EventSubscription,
  ExpectedRevision,
  GlobalPosition,
  JsonObject,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamName,
  SubscribeToAllOptions,
} from '../event-store.port';

export interface EventStoreDbEventStoreOptions {
  /** e.g. esdb://127.0.0.1:2113?tls=false */
  readonly connectionString: string;
  readonly limits?: AppendLimits;
}

type EsdbRecordedEvent = NonNullable<ResolvedEvent['event']>;

/**
 * The production adapter. EventStoreDB itself enforces expected revisions, de-duplicates
 * retried event ids and orders $all; the adapter translates types and keeps system events
 * ('$'-prefixed) out of the ledger's view of the log.
 *
 * Positions: the $all commit position. Without explicit transactions (which the gRPC API no
 * longer offers) each event has its own commit position equal to its prepare position.
 *
 * Reads go in pages with a server-side count, and each page is read to its end before its
 * events are handed out. The client (6.2.1) cannot stop a read half-way cleanly: leaving a
 * `for await` early unpipes its gRPC stream without cancelling it, so the call stays open
 * (the server keeps streaming into flow control) and `dispose()` waits for it forever.
 */
export class EventStoreDbEventStore implements EventStore {
  readonly adapter = 'eventstoredb' as const;
  private readonly limits: AppendLimits;

  private constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbEventStoreOptions,
  ) {
    this.limits = options.limits ?? DEFAULT_APPEND_LIMITS;
  }

  static async connect(options: EventStoreDbEventStoreOptions): Promise<EventStoreDbEventStore> {
    const client = EventStoreDBClient.connectionString(options.connectionString);
    return new EventStoreDbEventStore(client, options);
  }

  async append(
    streamName: StreamName,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const expected = options.expectedRevision ?? 'any';
    assertExpectedRevision(expected);
    // Validates and bounds the append exactly as the SQL adapters do, before anything is sent.
    serializeAppend(streamName, events, this.limits);
    try {
      const result = await this.client.appendToStream(
        streamName,
        events.map((event) =>
          jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: event.metadata ?? {} }),
        ),
        { expectedRevision: toEsdbExpectedRevision(expected) },
      );
      const nextExpectedRevision = Number(result.nextExpectedRevision);
      const position = result.position
        ? Number(result.position.commit)
        : await this.positionOfRevision(streamName, nextExpectedRevision);
      return { nextExpectedRevision, position };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = error.actualVersion;
        throw new WrongExpectedRevisionError(
          streamName,
          expected,
          typeof actual === 'bigint' ? Number(actual) : actual === NO_STREAM ? -1 : undefined,
        );
      }
      throw error;
    }
  }

  /** Servers before 22.6 do not return the append's position; read it back. */
  private async positionOfRevision(streamName: StreamName, revision: number): Promise<GlobalPosition> {
    for await (const event of this.readStream(streamName, { fromRevision: revision, maxCount: 1 })) {
      return event.position;
    }
    throw new Error(`Event ${revision} of '${streamName}' was acknowledged but cannot be read`);
  }

  readStream(streamName: StreamName, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    return pagedRead({
      maxCount: options.maxCount,
      start: options.fromRevision ?? (backwards ? FROM_THE_END : 0),
      readPage: (from, count) =>
        // Backwards past revision 0 there is nothing left to read.
        from < 0 ? Promise.resolve([]) : this.readStreamPage(streamName, backwards, toReadRevision(from), count),
      // Revision bounds are inclusive: continue one past the last revision read.
      next: (last) => (backwards ? last.revision - 1 : last.revision + 1),
    });
  }

  private async readStreamPage(
    streamName: StreamName,
    backwards: boolean,
    fromRevision: ReadRevision,
    count: number,
  ): Promise<RecordedEvent[]> {
    const read = this.client.readStream(streamName, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision,
      maxCount: BigInt(count),
    });
    try {
      return (await readToEnd(read)).map(toRecordedEvent);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    // The port's bounds are exclusive; the server's are not always (forwards, it includes the
    // event at the position), so a page from a bound asks for one more and skips what is not
    // past the bound. System events are not the ledger's and do not count; the client (6.2.1)
    // cannot filter reads server-side.
    let bound = options.from;
    let from: ReadPosition = bound === undefined ? (backwards ? END : START) : toPosition(bound);
    while (remaining > 0) {
      const count = Math.min(READ_PAGE_SIZE, remaining) + (bound === undefined ? 0 : 1);
      const direction = backwards ? BACKWARDS : FORWARDS;
      const page = await readToEnd(this.client.readAll({ direction, fromPosition: from, maxCount: BigInt(count) }));
      for (const event of page) {
        if (isSystemEvent(event) || !isPast(event, bound, backwards)) continue;
        yield toRecordedEvent(event);
        if (--remaining <= 0) return;
      }
      if (page.length < count) return;
      bound = positionOf(page[page.length - 1]);
      from = toPosition(bound);
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): EventSubscription {
    const after = options.after;
    const subscription = this.client.subscribeToAll({
      fromPosition: after === undefined ? START : toPosition(after),
      filter: excludeSystemEvents(),
    });
    return {
      async *[Symbol.asyncIterator]() {
        try {
          for await (const resolved of subscription) {
            const event = resolved.event;
            if (!event || isSystemEvent(event)) continue;
            const recorded = toRecordedEvent(event);
            if (after !== undefined && recorded.position <= after) continue;
            yield recorded;
          }
        } finally {
          // Leaving the loop does not cancel the call; unsubscribing does, and may be repeated.
          await subscription.unsubscribe();
        }
      },
      close: () => subscription.unsubscribe(),
    };
  }

  async headPosition(): Promise<GlobalPosition | undefined> {
    for await (const event of this.readAll({ direction: 'backwards', maxCount: 1 })) return event.position;
    return undefined;
  }

  async ping(): Promise<void> {
    await readToEnd(this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1, deadline: 2_000 }));
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}

function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  return BigInt(expected);
}

/** pagedRead's start for a backwards read from the end, as in the SQL adapters. */
const FROM_THE_END = Number.MAX_SAFE_INTEGER;

function toReadRevision(revision: number): ReadRevision {
  return revision >= FROM_THE_END ? END : BigInt(revision);
}

function toPosition(position: GlobalPosition): Position {
  return { commit: BigInt(position), prepare: BigInt(position) };
}

/** Reads a bounded read to its end, so that the client's gRPC stream finishes. */
async function readToEnd(read: AsyncIterable<ResolvedEvent>): Promise<EsdbRecordedEvent[]> {
  const events: EsdbRecordedEvent[] = [];
  for await (const resolved of read) {
    if (resolved.event) events.push(resolved.event);
  }
  return events;
}

function isPast(event: EsdbRecordedEvent, bound: GlobalPosition | undefined, backwards: boolean): boolean {
  if (bound === undefined) return true;
  const position = positionOf(event);
  return backwards ? position < bound : position > bound;
}

function positionOf(event: EsdbRecordedEvent): GlobalPosition {
  return event.position ? Number(event.position.commit) : -1;
}

function isSystemEvent(event: EsdbRecordedEvent): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  if (!event.isJson) throw new Error(`Event ${event.id} in '${event.streamId}' is not JSON`);
  return {
    id: event.id,
    type: event.type,
    streamName: event.streamId,
    revision: Number(event.revision),
    position: positionOf(event),
    recordedAt: event.created.toISOString(),
    data: event.data as JsonObject,
    metadata: (event.metadata ?? {}) as JsonObject,
  };
}
