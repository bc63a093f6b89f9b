import type { EventStore, NewEvent, RecordedEvent, StreamAppend } from '@salur/event-store';
import { LeafRoot } from './old-ledger';
import { MigrationRefusedError } from './migration-refused';

export interface CopyLimits {
  /** Events per transaction (one appendMany): one commit, so one fsync, per this many events. */
  readonly batchEvents: number;
  /**
   * Clear bytes (data + metadata) per transaction. Sealing a field costs ~250 bytes, about 3x a
   * payment event's size: a batch this large stays well under the store's 1 MiB per stream append
   * (EVENT_STORE_MAX_APPEND_BYTES) once sealed. A single larger event still goes, alone.
   */
  readonly batchBytes: number;
}

export const DEFAULT_COPY_LIMITS: CopyLimits = { batchEvents: 1_000, batchBytes: 256 * 1_024 };

export interface CopyRequest {
  readonly oldStore: EventStore;
  /** The new store raw, to find what an earlier run already copied. */
  readonly newRaw: EventStore;
  /** The new store through the sealing layer: every copy goes through it. */
  readonly newStore: EventStore;
  /** Position of the new store's LedgerMigrated: copies follow it. */
  readonly after: number;
  readonly eventsToCopy: number;
  /** The root the old events must still hash to (the survey's). */
  readonly rootHash: Buffer;
  readonly limits: CopyLimits;
  readonly onProgress?: (done: number) => void;
}

export interface CopyResult {
  /** Events an earlier run had copied already (skipped, after checking they are the same). */
  readonly alreadyCopied: number;
  readonly copied: number;
}

/**
 * Copies the old events in log order, same ids, streams, revisions, types, data and metadata, into
 * the new store through the sealing layer, each stream's append expecting the revision the old one
 * had. A run after a crash finds the new store holding a prefix of the old log (every transaction is
 * all or nothing, and they ran in order): it checks that prefix event by event and copies the rest.
 */
export async function copyEvents(request: CopyRequest): Promise<CopyResult> {
  const earlier = request.newRaw.readAll({ from: request.after })[Symbol.asyncIterator]();
  let copiedBefore = await nextOf(earlier);
  const root = new LeafRoot();
  const batch = new AppendBatch(request.limits);
  let alreadyCopied = 0;
  let copied = 0;
  let last: RecordedEvent | undefined;
  for await (const event of request.oldStore.readAll()) {
    if (root.size === request.eventsToCopy) break;
    root.add(event);
    last = event;
    if (copiedBefore !== undefined) {
      assertSameEvent(copiedBefore, event);
      alreadyCopied++;
      copiedBefore = await nextOf(earlier);
      if (alreadyCopied % request.limits.batchEvents === 0) request.onProgress?.(alreadyCopied);
      continue;
    }
    if (!batch.accepts(event)) copied += await batch.flush(request.newStore);
    batch.add(event);
    if (batch.full) copied += await batch.flush(request.newStore);
    request.onProgress?.(alreadyCopied + copied);
  }
  copied += await batch.flush(request.newStore);
  await earlier.return?.(undefined);
  request.onProgress?.(alreadyCopied + copied);
  await assertOldLedgerUnchanged(request, root, last);
  return { alreadyCopied, copied };
}

/** The old store must still be what the survey (and LedgerMigrated) described: no event more, none less. */
async function assertOldLedgerUnchanged(request: CopyRequest, root: LeafRoot, last: RecordedEvent | undefined) {
  let more = false;
  for await (const _ of request.oldStore.readAll({ ...(last ? { from: last.position } : {}), maxCount: 1 }))
    more = true;
  if (more || root.size !== request.eventsToCopy || !root.root().equals(request.rootHash)) {
    throw new MigrationRefusedError(
      `The old store changed while it was migrated (${more ? 'events were appended' : 'its events differ'}): ` +
        'stop every process writing to it, delete the new store (and its key database) and migrate again',
    );
  }
}

function assertSameEvent(copied: RecordedEvent, old: RecordedEvent): void {
  const same =
    copied.id === old.id &&
    copied.streamName === old.streamName &&
    copied.revision === old.revision &&
    copied.type === old.type;
  if (!same) {
    throw new MigrationRefusedError(
      `The new store's event ${copied.id} (${copied.type} in ${copied.streamName} revision ${copied.revision}) is ` +
        `not the old log's event at that place, ${old.id} (${old.type} in ${old.streamName} revision ${old.revision}): ` +
        'something else wrote into the new store; delete it (and its key database) and migrate again',
    );
  }
}

interface Part {
  readonly streamName: string;
  readonly firstRevision: number;
  lastRevision: number;
  readonly events: NewEvent[];
}

/**
 * Consecutive old events as one multi-stream append. A stream appears in one part per batch: its
 * parts are written in order, and the sealing layer finds a payment's beneficiary in the stream's
 * first event, which must be stored (an earlier batch) or lead its part.
 */
class AppendBatch {
  private parts: Part[] = [];
  private readonly streams = new Set<string>();
  private events = 0;
  private bytes = 0;

  constructor(private readonly limits: CopyLimits) {}

  get full(): boolean {
    return this.events >= this.limits.batchEvents || this.bytes >= this.limits.batchBytes;
  }

  accepts(event: RecordedEvent): boolean {
    if (this.events === 0) return true;
    if (this.bytes + sizeOf(event) > this.limits.batchBytes) return false;
    const lastPart = this.parts[this.parts.length - 1];
    return !this.streams.has(event.streamName) || lastPart.streamName === event.streamName;
  }

  add(event: RecordedEvent): void {
    const copy: NewEvent = { id: event.id, type: event.type, data: event.data, metadata: event.metadata };
    const lastPart = this.parts[this.parts.length - 1];
    if (lastPart?.streamName === event.streamName) {
      if (event.revision !== lastPart.lastRevision + 1) {
        throw new MigrationRefusedError(
          `The old stream ${event.streamName} jumps from revision ${lastPart.lastRevision} to ${event.revision}`,
        );
      }
      lastPart.events.push(copy);
      lastPart.lastRevision = event.revision;
    } else {
      const part = { streamName: event.streamName, firstRevision: event.revision, lastRevision: event.revision };
      this.parts.push({ ...part, events: [copy] });
      this.streams.add(event.streamName);
    }
    this.events++;
    this.bytes += sizeOf(event);
  }

  /** Writes the batch in one transaction where the store can (appendMany), else stream by stream in order. */
  async flush(store: EventStore): Promise<number> {
    if (this.events === 0) return 0;
    const appends: StreamAppend[] = this.parts.map((part) => ({
      streamName: part.streamName,
      events: part.events,
      // The new stream must stand exactly where the old one stood before these events.
      options: { expectedRevision: part.firstRevision === 0 ? 'no_stream' : part.firstRevision - 1 },
    }));
    if (store.appendMany) await store.appendMany(appends);
    else for (const append of appends) await store.append(append.streamName, append.events, append.options);
    const written = this.events;
    this.parts = [];
    this.streams.clear();
    this.events = 0;
    this.bytes = 0;
    return written;
  }
}

function sizeOf(event: RecordedEvent): number {
  return Buffer.byteLength(JSON.stringify(event.data)) + Buffer.byteLength(JSON.stringify(event.metadata));
}

async function nextOf<T>(iterator: AsyncIterator<T>): Promise<T | undefined> {
  const result = await iterator.next();
  return result.done ? undefined : result.value;
}
