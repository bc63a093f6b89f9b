import type { EventStore, RecordedEvent } from '@salur/event-store';
import { DomainError } from '@salur/kernel';
import {
  batchLinesOf,
  CanonicalizationError,
  HashedNode,
  isV2BatchLines,
  hashedLeafOf,
  leafRecordOf,
  MerkleAppender,
  proofSubjectsOf,
} from '../domain';
import type { AuditLogBatchLinesTable, AuditLogSubjectTable } from './audit-log.tables';
import { LOG_INTEGRITY, LogMovedError, LogState, MerkleLogStore, StoredLeaf } from './merkle-log.store';

/**
 * An event that cannot become a leaf without changing it (a float, a lone surrogate): the log
 * stops. A conflict (409 LOG_INTEGRITY) should a request path ever meet it, not a 500.
 */
export class UnloggableEventError extends DomainError {
  constructor(event: RecordedEvent, cause: CanonicalizationError) {
    super(
      'conflict',
      LOG_INTEGRITY,
      `Event ${event.id} (${event.type} in ${event.streamName}, position ${event.position}) cannot be logged: ${cause.message}. ` +
        'The audit log stops here rather than log other bytes; fix the event’s writer and upcast the event.',
    );
    this.name = 'UnloggableEventError';
  }
}

/**
 * Events per transaction at most, when catching up and when following. Each leaf inserts into
 * two indexes on random keys (event id, stream); a larger transaction writes each dirtied index
 * page once for more leaves: 5,000 per transaction gave ~1.8x the leaves per CPU-second of 500.
 */
export const MAX_APPEND_EVENTS = 5_000;
/** Events per read when catching up from the store directly: one transaction each. */
export const CATCH_UP_PAGE_EVENTS = MAX_APPEND_EVENTS;
const MAX_MOVED_RETRIES = 5;

/**
 * Appends ledger events to the Merkle log, in log order, each exactly once: leaf index n is the
 * n-th event of the global log, whatever the store's positions. Keeps the tree's right edge in
 * memory between appends; appends of this process run one at a time, and another process
 * appending meanwhile is noticed by the compare-and-set on the state (the edge is reloaded).
 */
export class AuditLogWriter {
  private current: { state: LogState; appender: MerkleAppender } | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly log: MerkleLogStore) {}

  state(): Promise<LogState> {
    return this.serialized(async () => (await this.load()).state);
  }

  /**
   * Appends the events after the logged position (a replayed event is skipped) in one
   * transaction. The events must follow each other in the store's global order.
   */
  appendEvents(events: readonly RecordedEvent[]): Promise<LogState> {
    return this.serialized(() => this.appendNow(events));
  }

  /** Reads the store from the logged position to its head and appends it all; returns the state. */
  async catchUp(store: EventStore): Promise<LogState> {
    for (;;) {
      const { position } = await this.state();
      const page: RecordedEvent[] = [];
      for await (const event of store.readAll({
        ...(position >= 0 ? { from: position } : {}),
        maxCount: CATCH_UP_PAGE_EVENTS,
      })) {
        page.push(event);
      }
      const state = await this.appendEvents(page);
      if (page.length < CATCH_UP_PAGE_EVENTS) return state;
    }
  }

  private async appendNow(events: readonly RecordedEvent[]): Promise<LogState> {
    for (let attempt = 0; ; attempt++) {
      const { state, appender } = await this.load();
      const fresh = events.filter((event) => event.position > state.position);
      if (fresh.length === 0) return state;
      const next = appender.copy();
      const leaves: StoredLeaf[] = [];
      const nodes: HashedNode[] = [];
      const subjects: AuditLogSubjectTable[] = [];
      const batchLines: AuditLogBatchLinesTable[] = [];
      // The whole batch is serialized and hashed in memory, then written in one transaction.
      for (const event of fresh) {
        const leafIndex = next.size;
        const leaf = encode(event);
        for (const node of next.append(leaf.hash)) nodes.push(node);
        leaves.push({
          leafIndex,
          position: event.position,
          eventId: event.id,
          stream: event.streamName,
          revision: event.revision,
          eventType: event.type,
          leafBytes: leaf.bytes,
          leafHash: leaf.hash,
        });
        for (const subject of proofSubjectsOf(leafRecordOf(event))) subjects.push({ subject, leafIndex });
        // The leaf keeps only the lines' root: the lines are kept beside it, to serve inclusion paths.
        if (event.type === 'BatchCreated' && isV2BatchLines(event.type, event.data))
          batchLines.push({ leafIndex, lines: JSON.stringify(batchLinesOf(event.type, event.data)) });
      }
      const nextState: LogState = { treeSize: next.size, position: fresh[fresh.length - 1].position };
      try {
        await this.log.append(state, nextState, leaves, nodes, subjects, batchLines);
        this.current = { state: nextState, appender: next };
        return nextState;
      } catch (error) {
        this.current = undefined;
        if (error instanceof LogMovedError && attempt < MAX_MOVED_RETRIES) continue;
        throw error;
      }
    }
  }

  private async load(): Promise<{ state: LogState; appender: MerkleAppender }> {
    if (this.current) return this.current;
    const state = await this.log.state();
    const appender = new MerkleAppender(state.treeSize, await this.log.frontier(state.treeSize));
    this.current = { state, appender };
    return this.current;
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

function encode(event: RecordedEvent): { readonly bytes: Buffer; readonly hash: Buffer } {
  try {
    return hashedLeafOf(event);
  } catch (error) {
    if (error instanceof CanonicalizationError) throw new UnloggableEventError(event, error);
    throw error;
  }
}
