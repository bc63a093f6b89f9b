import {
  AppendLimits,
  assertExpectedRevision,
  confirmRetry,
  DEFAULT_APPEND_LIMITS,
  planAppend,
  serializeAppend,
} from '../../libs/event-store/src/append-rules';
import { AppendSignal, PollingCatchUpSubscription } from '../../libs/event-store/src/catch-up-subscription';
import { pagedRead, READ_PAGE_SIZE } from '../../libs/event-store/src/paged-read';
import {
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type EventSubscription,
  type GlobalPosition,
  InvalidAppendError,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type StreamName,
  type SubscribeToAllOptions,
  WrongExpectedRevisionError,
} from '@salur/event-store';

export interface MemoryEventStoreOptions {
  readonly limits?: AppendLimits;
  /** The recording instant of each append; the simulation passes its own clock so a seed replays exactly. */
  readonly now?: () => string;
  /**
   * Called after each append is committed and before its caller hears of it: where the simulation
   * cuts the power, so the write is durable but the writer never learns it happened.
   */
  readonly afterCommit?: () => void;
}

/** How long a caught-up subscription waits before looking again (appends wake it at once). */
const POLL_INTERVAL_MS = 250;

/**
 * The event store in one process's memory, for the whole-system simulation: the same port and
 * the same append rules as the SQL adapters (append-rules.ts), proven by the same contract suite
 * (test/simulation/memory-event-store.contract.spec.ts). Everything is synchronous inside an
 * append, so an append is atomic by construction, as a transaction would make it.
 */
export class MemoryEventStore implements EventStore {
  /** Reports itself as the embedded adapter: the only reader of this is the read-model dialect's default. */
  readonly adapter = 'sqlite' as const;
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<StreamName, RecordedEvent[]>();
  private readonly signal = new AppendSignal();
  private readonly limits: AppendLimits;
  private readonly now: () => string;

  constructor(private readonly options: MemoryEventStoreOptions = {}) {
    this.limits = options.limits ?? DEFAULT_APPEND_LIMITS;
    this.now = options.now ?? (() => new Date().toISOString());
  }

  /** Events in the log: cheaper than reading it for the simulation's progress line. */
  get size(): number {
    return this.log.length;
  }

  async append(
    streamName: StreamName,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const staged = this.stage(streamName, events, options, new Map());
    this.commit([staged]);
    return staged.result;
  }

  async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const eventCount = appends.reduce((sum, part) => sum + part.events.length, 0);
    if (eventCount > this.limits.maxEventsPerAppend) {
      throw new InvalidAppendError(
        `A multi-stream append of ${eventCount} events is over the limit of ${this.limits.maxEventsPerAppend}`,
      );
    }
    // Every part is judged before any is written: a refusal anywhere writes nothing.
    const pending = new Map<StreamName, RecordedEvent[]>();
    const staged = appends.map((part) => this.stage(part.streamName, part.events, part.options ?? {}, pending));
    this.commit(staged);
    return staged.map((part) => part.result);
  }

  /** Judges one append against the store and the parts already staged with it; writes nothing. */
  private stage(
    streamName: StreamName,
    events: readonly NewEvent[],
    options: AppendOptions,
    pending: Map<StreamName, RecordedEvent[]>,
  ): { readonly events: RecordedEvent[]; readonly result: AppendResult } {
    const expected = options.expectedRevision ?? 'any';
    assertExpectedRevision(expected);
    const serialized = serializeAppend(streamName, events, this.limits);
    const stream = [...(this.streams.get(streamName) ?? []), ...(pending.get(streamName) ?? [])];
    const currentRevision = stream.length - 1;
    const revisionOfFirstEvent =
      expected === 'any' || expected === 'stream_exists'
        ? stream.find((event) => event.id === serialized[0].id)?.revision
        : undefined;
    const plan = planAppend(expected, currentRevision, revisionOfFirstEvent);
    if (plan.kind === 'verify-retry') {
      const stored = stream.slice(plan.fromRevision, plan.fromRevision + serialized.length);
      const retried = confirmRetry(
        serialized.map((event) => event.id),
        stored,
      );
      if (retried) return { events: [], result: retried };
    }
    if (plan.kind !== 'write') throw new WrongExpectedRevisionError(streamName, expected, currentRevision);
    const recordedAt = this.now();
    const firstPosition = this.log.length + [...pending.values()].reduce((sum, part) => sum + part.length, 0) + 1;
    const recorded = serialized.map((event, index): RecordedEvent => ({
      id: event.id,
      type: event.type,
      streamName,
      revision: plan.firstRevision + index,
      position: firstPosition + index,
      recordedAt,
      // Stored as JSON text and parsed back, as a database would: no caller shares an object with the log.
      data: JSON.parse(event.data) as RecordedEvent['data'],
      metadata: JSON.parse(event.metadata) as RecordedEvent['metadata'],
    }));
    pending.set(streamName, [...(pending.get(streamName) ?? []), ...recorded]);
    const last = recorded[recorded.length - 1];
    return { events: recorded, result: { nextExpectedRevision: last.revision, position: last.position } };
  }

  private commit(staged: ReadonlyArray<{ readonly events: readonly RecordedEvent[] }>): void {
    for (const { events } of staged) {
      for (const event of events) {
        this.log.push(event);
        const stream = this.streams.get(event.streamName) ?? [];
        stream.push(event);
        this.streams.set(event.streamName, stream);
      }
    }
    this.signal.notify();
    this.options.afterCommit?.();
  }

  readStream(streamName: StreamName, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    const stream = () => this.streams.get(streamName) ?? [];
    return pagedRead({
      maxCount: options.maxCount,
      start: options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0),
      readPage: async (from, count) =>
        backwards
          ? stream()
              .slice(
                Math.max(0, Math.min(from, stream().length - 1) - count + 1),
                Math.min(from, stream().length - 1) + 1,
              )
              .reverse()
          : stream().slice(from, from + count),
      next: (last) => (backwards ? last.revision - 1 : last.revision + 1),
    });
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    return pagedRead({
      maxCount: options.maxCount,
      start: options.from ?? (backwards ? Number.MAX_SAFE_INTEGER : 0),
      // Positions are 1, 2, 3…: the event at position p sits at index p - 1.
      readPage: async (from, count) =>
        backwards ? this.before(from, count) : this.log.slice(Math.max(0, from), Math.max(0, from) + count),
      next: (last) => last.position,
    });
  }

  private before(position: GlobalPosition, count: number): RecordedEvent[] {
    const end = Math.min(position - 1, this.log.length);
    return end <= 0 ? [] : this.log.slice(Math.max(0, end - count), end).reverse();
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): EventSubscription {
    return new PollingCatchUpSubscription(
      {
        signal: this.signal,
        readPage: async (after, maxCount) => this.log.slice(after ?? 0, (after ?? 0) + maxCount),
      },
      { pageSize: READ_PAGE_SIZE, pollIntervalMs: POLL_INTERVAL_MS },
      options.after,
    );
  }

  async headPosition(): Promise<GlobalPosition | undefined> {
    return this.log.length === 0 ? undefined : this.log.length;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.signal.notify();
  }
}
