import { AppendTooLargeError, InvalidAppendError } from './errors';
import type {
  AppendResult,
  ExpectedRevision,
  GlobalPosition,
  NewEvent,
  StreamName,
  StreamRevision,
} from './event-store.port';

/**
 * Rules every adapter applies the same way: what a valid append is, how large it may be,
 * and (for the SQL adapters, which have no server to do it for them) how an expected
 * revision and a retried append are judged, following EventStoreDB's documented behaviour.
 */

export interface AppendLimits {
  /** Sum of the serialized data and metadata of one append. */
  readonly maxAppendBytes: number;
  readonly maxEventsPerAppend: number;
}

export const DEFAULT_APPEND_LIMITS: AppendLimits = {
  // EventStoreDB's own default maximum append size.
  maxAppendBytes: 1_048_576,
  maxEventsPerAppend: 10_000,
};

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_NAME_LENGTH = 256;

export interface SerializedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

/** Validates an append and serializes it once; throws before anything is written. */
export function serializeAppend(
  streamName: StreamName,
  events: readonly NewEvent[],
  limits: AppendLimits,
): SerializedEvent[] {
  assertName('stream name', streamName);
  if (events.length === 0) throw new InvalidAppendError(`Append to '${streamName}' has no events`);
  if (events.length > limits.maxEventsPerAppend) {
    throw new InvalidAppendError(
      `Append to '${streamName}' has ${events.length} events, over the limit of ${limits.maxEventsPerAppend}`,
    );
  }
  const seenIds = new Set<string>();
  let sizeBytes = 0;
  const serialized = events.map((event) => {
    if (!UUID_PATTERN.test(event.id)) {
      throw new InvalidAppendError(`Event id '${event.id}' is not a lower-case UUID`);
    }
    if (seenIds.has(event.id)) throw new InvalidAppendError(`Event id '${event.id}' appears twice`);
    seenIds.add(event.id);
    assertName('event type', event.type);
    const data = JSON.stringify(event.data);
    const metadata = JSON.stringify(event.metadata ?? {});
    sizeBytes += Buffer.byteLength(data) + Buffer.byteLength(metadata);
    return { id: event.id, type: event.type, data, metadata };
  });
  if (sizeBytes > limits.maxAppendBytes) {
    throw new AppendTooLargeError(streamName, sizeBytes, limits.maxAppendBytes);
  }
  return serialized;
}

function assertName(what: string, name: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw new InvalidAppendError(`The ${what} must be 1 to ${MAX_NAME_LENGTH} characters`);
  }
  // '$' names are EventStoreDB's system streams and events.
  if (name.startsWith('$')) throw new InvalidAppendError(`The ${what} '${name}' may not start with '$'`);
}

export type AppendPlan =
  | { readonly kind: 'write'; readonly firstRevision: StreamRevision }
  /** The events may already be in the stream from an earlier attempt: compare from this revision. */
  | { readonly kind: 'verify-retry'; readonly fromRevision: StreamRevision }
  | { readonly kind: 'conflict' };

/**
 * @param currentRevision the stream's last revision, -1 when it does not exist
 * @param revisionOfFirstEvent where the append's first event id already sits in the stream, if
 *   it does; only consulted for 'any' and 'stream_exists', where the revision cannot tell a retry
 */
export function planAppend(
  expected: ExpectedRevision,
  currentRevision: StreamRevision,
  revisionOfFirstEvent: StreamRevision | undefined,
): AppendPlan {
  if (expected === 'any' || expected === 'stream_exists') {
    if (revisionOfFirstEvent !== undefined) {
      return { kind: 'verify-retry', fromRevision: revisionOfFirstEvent };
    }
    if (expected === 'stream_exists' && currentRevision === -1) return { kind: 'conflict' };
    return { kind: 'write', firstRevision: currentRevision + 1 };
  }
  const expectedRevision = expected === 'no_stream' ? -1 : expected;
  if (currentRevision === expectedRevision) {
    return { kind: 'write', firstRevision: currentRevision + 1 };
  }
  if (currentRevision > expectedRevision) {
    return { kind: 'verify-retry', fromRevision: expectedRevision + 1 };
  }
  return { kind: 'conflict' };
}

export interface StoredEventIdentity {
  readonly id: string;
  readonly revision: StreamRevision;
  readonly position: GlobalPosition;
}

/**
 * A retry succeeds without writing only when the stored events from the planned revision
 * carry exactly the append's ids in order; a partial or different match is a conflict.
 */
export function confirmRetry(
  eventIds: readonly string[],
  stored: readonly StoredEventIdentity[],
): AppendResult | undefined {
  if (stored.length !== eventIds.length) return undefined;
  for (let index = 0; index < eventIds.length; index++) {
    if (stored[index].id !== eventIds[index]) return undefined;
  }
  const last = stored[stored.length - 1];
  return { nextExpectedRevision: last.revision, position: last.position };
}

export function assertExpectedRevision(expected: ExpectedRevision): void {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return;
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new InvalidAppendError(`Expected revision ${String(expected)} is not a revision`);
  }
}
