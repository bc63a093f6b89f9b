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
  ResolvedEvent,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { AppendLimits, assertExpectedRevision, DEFAULT_APPEND_LIMITS, serializeAppend } from '../append-rules';
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

  async *readStream(streamName: StreamName, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    const read = this.client.readStream(streamName, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision),
      ...(options.maxCount === undefined ? {} : { maxCount: BigInt(options.maxCount) }),
    });
    try {
      for await (const resolved of read) {
        if (resolved.event) yield toRecordedEvent(resolved.event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return;
      throw error;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    const from = options.from;
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (limit <= 0) return;
    // $all reads from a position include the event at it; the port's bounds are exclusive,
    // and system events are not the ledger's, so filter here and count what is delivered.
    const read = this.client.readAll({
      direction: backwards ? BACKWARDS : FORWARDS,
      fromPosition: from === undefined ? (backwards ? END : START) : { commit: BigInt(from), prepare: BigInt(from) },
    });
    let delivered = 0;
    for await (const resolved of read) {
      const event = resolved.event;
      if (!event || isSystemEvent(event)) continue;
      const recorded = toRecordedEvent(event);
      if (from !== undefined && (backwards ? recorded.position >= from : recorded.position <= from)) continue;
      yield recorded;
      if (++delivered >= limit) return;
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): EventSubscription {
    const after = options.after;
    const subscription = this.client.subscribeToAll({
      fromPosition: after === undefined ? START : { commit: BigInt(after), prepare: BigInt(after) },
      filter: excludeSystemEvents(),
    });
    return {
      async *[Symbol.asyncIterator]() {
        for await (const resolved of subscription) {
          const event = resolved.event;
          if (!event || isSystemEvent(event)) continue;
          const recorded = toRecordedEvent(event);
          if (after !== undefined && recorded.position <= after) continue;
          yield recorded;
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
    for await (const resolved of this.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 1,
      deadline: 2_000,
    })) {
      void resolved;
    }
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
    position: event.position ? Number(event.position.commit) : -1,
    recordedAt: event.created.toISOString(),
    data: event.data as JsonObject,
    metadata: (event.metadata ?? {}) as JsonObject,
  };
}
