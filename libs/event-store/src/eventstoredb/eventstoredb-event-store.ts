import type {
  ClientExpectedRevision,
  ClientPosition,
  ClientReadPosition,
  ClientReadRevision,
  ClientRecordedEvent,
  ClientResolvedEvent,
  EventStoreDbClient,
  EventStoreDbClientName,
} from './eventstoredb-client';
import { openEventStoreDbClient } from './open-eventstoredb-client';
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
  /** The npm package that talks to the server (EVENTSTOREDB_CLIENT); @eventstore/db-client unless told. */
  readonly client?: EventStoreDbClientName;
}

/**
 * The production adapter. EventStoreDB itself enforces expected revisions, de-duplicates
 * retried event ids and orders $all; the adapter translates types and keeps system events
 * ('$'-prefixed) out of the ledger's view of the log.
 *
 * Positions: the $all commit position. Without explicit transactions (which the gRPC API no
 * longer offers) each event has its own commit position equal to its prepare position.
 *
 * Reads go in pages with a server-side count, and each page is read to its end before its
 * events are handed out. @eventstore/db-client (6.2.1) cannot stop a read half-way cleanly:
 * leaving a `for await` early unpipes its gRPC stream without cancelling it, so the call stays
 * open (the server keeps streaming into flow control) and `dispose()` waits for it forever.
 *
 * The client is either npm package, @eventstore/db-client or @kurrent/kurrentdb-client, behind
 * the few calls in eventstoredb-client.ts.
 */
export class EventStoreDbEventStore implements EventStore {
  readonly adapter = 'eventstoredb' as const;
  private readonly limits: AppendLimits;

  private constructor(
    private readonly client: EventStoreDbClient,
    options: EventStoreDbEventStoreOptions,
  ) {
    this.limits = options.limits ?? DEFAULT_APPEND_LIMITS;
  }

  static async connect(options: EventStoreDbEventStoreOptions): Promise<EventStoreDbEventStore> {
    const client = await openEventStoreDbClient(options.client ?? 'eventstore', options.connectionString);
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
        events.map((event) => ({ id: event.id, type: event.type, data: event.data, metadata: event.metadata ?? {} })),
        toClientExpectedRevision(expected),
      );
      const nextExpectedRevision = Number(result.nextExpectedRevision);
      const position = result.position
        ? Number(result.position.commit)
        : await this.positionOfRevision(streamName, nextExpectedRevision);
      return { nextExpectedRevision, position };
    } catch (error) {
      const refused = this.client.refusedRevisionOf(error);
      if (refused) {
        const actual = refused.actual;
        throw new WrongExpectedRevisionError(
          streamName,
          expected,
          typeof actual === 'bigint' ? Number(actual) : actual === 'no_stream' ? -1 : undefined,
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
    fromRevision: ClientReadRevision,
    count: number,
  ): Promise<RecordedEvent[]> {
    const read = this.client.readStream(streamName, {
      direction: backwards ? 'backwards' : 'forwards',
      fromRevision,
      maxCount: BigInt(count),
    });
    try {
      return (await readToEnd(read)).map(toRecordedEvent);
    } catch (error) {
      if (this.client.isStreamNotFound(error)) return [];
      throw error;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    // The port's bounds are exclusive; the server's are not always (forwards, it includes the
    // event at the position), so a page from a bound asks for one more and skips what is not
    // past the bound. System events are not the ledger's and do not count; @eventstore/db-client
    // (6.2.1) cannot filter reads server-side.
    let bound = options.from;
    let from: ClientReadPosition = bound === undefined ? (backwards ? 'end' : 'start') : toPosition(bound);
    while (remaining > 0) {
      const count = Math.min(READ_PAGE_SIZE, remaining) + (bound === undefined ? 0 : 1);
      const direction = backwards ? 'backwards' : 'forwards';
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
    const subscription = this.client.subscribeToAll(after === undefined ? 'start' : toPosition(after));
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
    await readToEnd(
      this.client.readAll({ direction: 'backwards', fromPosition: 'end', maxCount: 1n, deadline: 2_000 }),
    );
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}

function toClientExpectedRevision(expected: ExpectedRevision): ClientExpectedRevision {
  return typeof expected === 'number' ? BigInt(expected) : expected;
}

/** pagedRead's start for a backwards read from the end, as in the SQL adapters. */
const FROM_THE_END = Number.MAX_SAFE_INTEGER;

function toReadRevision(revision: number): ClientReadRevision {
  return revision >= FROM_THE_END ? 'end' : BigInt(revision);
}

function toPosition(position: GlobalPosition): ClientPosition {
  return { commit: BigInt(position), prepare: BigInt(position) };
}

/** Reads a bounded read to its end, so that the client's gRPC stream finishes. */
async function readToEnd(read: AsyncIterable<ClientResolvedEvent>): Promise<ClientRecordedEvent[]> {
  const events: ClientRecordedEvent[] = [];
  for await (const resolved of read) {
    if (resolved.event) events.push(resolved.event);
  }
  return events;
}

function isPast(event: ClientRecordedEvent, bound: GlobalPosition | undefined, backwards: boolean): boolean {
  if (bound === undefined) return true;
  const position = positionOf(event);
  return backwards ? position < bound : position > bound;
}

function positionOf(event: ClientRecordedEvent): GlobalPosition {
  return event.position ? Number(event.position.commit) : -1;
}

function isSystemEvent(event: ClientRecordedEvent): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

function toRecordedEvent(event: ClientRecordedEvent): RecordedEvent {
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
