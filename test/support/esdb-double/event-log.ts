/**
 * The double's storage: one in-memory transaction log ($all) plus a per-stream index, with
 * EventStoreDB's write rules (expected revisions and event-id de-duplication). It knows
 * nothing about gRPC; the services translate to and from the wire.
 */

export type ExpectedStreamState =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: number };

export interface ProposedEvent {
  /** Lower-case UUID string. */
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export interface StoredEvent extends ProposedEvent {
  readonly streamName: string;
  readonly revision: number;
  /**
   * Commit position. Without explicit transactions EventStoreDB reports each event's own log
   * position as both its commit and its prepare position, and so does the double.
   */
  readonly position: number;
  /** 100-ns ticks since the Unix epoch, as a decimal string: the server's `created` metadata. */
  readonly createdTicks: string;
}

/** -1 when the stream does not exist, as EventStoreDB's `CurrentVersion`. */
export type CurrentRevision = number;

export type AppendOutcome =
  | {
      readonly kind: 'success';
      /** Revision of the last event written (or of the retried append's last event). */
      readonly currentRevision: CurrentRevision;
      /** Position of that event; undefined for an append of no events. */
      readonly position: number | undefined;
    }
  | { readonly kind: 'wrong_expected_version'; readonly currentRevision: CurrentRevision };

/** The server's commit decision, before anything is written. */
type CommitDecision =
  | { readonly kind: 'write' }
  /** A retry: `last` is the earlier append's last event. */
  | { readonly kind: 'idempotent'; readonly last: StoredEvent }
  | { readonly kind: 'wrong_expected_version' };

// Byte-offset-like positions: a real log starts after a chunk header and each prepare record
// costs a header plus its payload. Only the shape matters (increasing, not dense).
const FIRST_RECORD_POSITION = 128;
const PREPARE_RECORD_OVERHEAD = 86;
const TICKS_PER_MILLISECOND = 10_000n;

class StreamIndex {
  readonly events: StoredEvent[] = [];
  private readonly revisionById = new Map<string, number>();

  get currentRevision(): CurrentRevision {
    return this.events.length - 1;
  }

  revisionOf(eventId: string): number | undefined {
    return this.revisionById.get(eventId);
  }

  add(event: StoredEvent): void {
    this.events.push(event);
    this.revisionById.set(event.id, event.revision);
  }
}

export class InMemoryEventLog {
  /** $all, in position order; append-only, so cursors (indexes) into it stay valid. */
  private readonly all: StoredEvent[] = [];
  private readonly streams = new Map<string, StreamIndex>();
  private nextPosition = FIRST_RECORD_POSITION;
  private appendWaiters: Array<() => void> = [];

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Applies an append atomically: everything is written, or nothing. */
  append(streamName: string, expected: ExpectedStreamState, events: readonly ProposedEvent[]): AppendOutcome {
    const stream = this.streams.get(streamName);
    const currentRevision = stream?.currentRevision ?? -1;
    const decision = checkCommit(stream, expected, events);
    switch (decision.kind) {
      case 'wrong_expected_version':
        return { kind: 'wrong_expected_version', currentRevision };
      case 'idempotent':
        // The server answers a recognised retry with the original append's last event.
        return { kind: 'success', currentRevision: decision.last.revision, position: decision.last.position };
      case 'write': {
        if (events.length === 0) return { kind: 'success', currentRevision, position: undefined };
        const written = this.write(streamName, events);
        const last = written[written.length - 1];
        return { kind: 'success', currentRevision: last.revision, position: last.position };
      }
    }
  }

  /** The stream's events, oldest first; undefined when the stream does not exist. */
  streamEvents(streamName: string): readonly StoredEvent[] | undefined {
    return this.streams.get(streamName)?.events;
  }

  /** $all, oldest first. The array grows as events are appended. */
  allEvents(): readonly StoredEvent[] {
    return this.all;
  }

  /** Index of the first event of $all at or after `position`. */
  indexAtOrAfter(position: number): number {
    let low = 0;
    let high = this.all.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.all[middle].position < position) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /**
   * Resolves after the next append, or when `signal` aborts. Register it synchronously after
   * finding nothing new to read, so no append can slip in between.
   */
  nextAppend(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        signal.removeEventListener('abort', wake);
        this.appendWaiters = this.appendWaiters.filter((waiter) => waiter !== wake);
        resolve();
      };
      this.appendWaiters.push(wake);
      signal.addEventListener('abort', wake, { once: true });
    });
  }

  private write(streamName: string, events: readonly ProposedEvent[]): StoredEvent[] {
    let stream = this.streams.get(streamName);
    if (!stream) {
      stream = new StreamIndex();
      this.streams.set(streamName, stream);
    }
    const createdTicks = (BigInt(this.now().getTime()) * TICKS_PER_MILLISECOND).toString();
    const written: StoredEvent[] = [];
    for (const proposed of events) {
      const stored: StoredEvent = {
        ...proposed,
        streamName,
        revision: stream.currentRevision + 1,
        position: this.nextPosition,
        createdTicks,
      };
      this.nextPosition += recordSize(stored);
      stream.add(stored);
      this.all.push(stored);
      written.push(stored);
    }
    const waiters = this.appendWaiters;
    this.appendWaiters = [];
    for (const wake of waiters) wake();
    return written;
  }
}

/**
 * EventStoreDB's decision for a write, after IndexWriter.CheckCommit (server 23.x):
 * - `any` / `stream_exists`: if the first event id is already in the stream, the append is a
 *   retry: every id must be there (then nothing is written and the earlier result returned),
 *   a partial match is a conflict. `stream_exists` on a missing stream is a conflict.
 * - an exact revision (`no_stream` is revision -1) behind the stream: a retry when the events
 *   after that revision carry exactly these ids, in order; otherwise a conflict.
 * - ahead of the stream: a conflict; equal: written.
 * The server keeps recent ids in a bounded cache for the `any` check; the double remembers all.
 */
function checkCommit(
  stream: StreamIndex | undefined,
  expected: ExpectedStreamState,
  events: readonly ProposedEvent[],
): CommitDecision {
  const currentRevision = stream?.currentRevision ?? -1;
  if (expected.kind === 'stream_exists' && currentRevision < 0) return { kind: 'wrong_expected_version' };
  if (expected.kind === 'any' || expected.kind === 'stream_exists') return checkRetryById(stream, events);

  const expectedRevision = expected.kind === 'no_stream' ? -1 : expected.revision;
  if (expectedRevision > currentRevision) return { kind: 'wrong_expected_version' };
  // (A missing stream is at -1, so it only gets here when expected to be missing.)
  if (expectedRevision === currentRevision || !stream) return { kind: 'write' };
  return checkRetryAtRevision(stream, expectedRevision, events);
}

function checkRetryById(stream: StreamIndex | undefined, events: readonly ProposedEvent[]): CommitDecision {
  let last: StoredEvent | undefined;
  for (const [index, event] of events.entries()) {
    const revision = stream?.revisionOf(event.id);
    if (revision === undefined) return index === 0 ? { kind: 'write' } : { kind: 'wrong_expected_version' };
    last = stream?.events[revision];
  }
  return last ? { kind: 'idempotent', last } : { kind: 'write' };
}

function checkRetryAtRevision(
  stream: StreamIndex,
  expectedRevision: number,
  events: readonly ProposedEvent[],
): CommitDecision {
  if (events.length === 0) return { kind: 'wrong_expected_version' };
  for (const [offset, event] of events.entries()) {
    if (stream.events[expectedRevision + 1 + offset]?.id !== event.id) return { kind: 'wrong_expected_version' };
  }
  return { kind: 'idempotent', last: stream.events[expectedRevision + events.length] };
}

function recordSize(event: StoredEvent): number {
  return (
    PREPARE_RECORD_OVERHEAD +
    Buffer.byteLength(event.streamName) +
    Buffer.byteLength(event.type) +
    event.data.byteLength +
    event.customMetadata.byteLength
  );
}
