import type { MerkleLogStore, StoredLeaf } from '@salur/audit-log';
import type { EventStore, RecordedEvent } from '@salur/event-store';
import { leafDisagreement } from './leaf-agreement';
import type { Violation } from './domain/violation';

/** Leaves read per query: with the store's own pages, memory holds two pages whatever the log's length. */
const LEAF_PAGE = 1_000;
/** Divergences listed; past that, a count (a rewritten store would otherwise list every event). */
const MAX_LISTED_DIVERGENCES = 20;

/**
 * The event store and the audit log's Merkle tree, event for event: every stored event up to the
 * position the log has reached is a leaf, in log order, whose bytes are the canonical bytes of
 * that event as stored now, and whose hash is SHA-256(0x00 ‖ bytes); every leaf is a stored
 * event. Events after the log's position are not logged yet, which is fine. Both sides are read
 * in pages and merged on the store's global position (kept on each leaf), so an event deleted
 * from either side is reported once rather than shifting every leaf after it.
 *
 * It compares the store it is given with the leaves, raw: whatever the store holds is what the
 * audit-log follower hashed, so the caller passes the raw store, never one that decodes fields.
 */
export async function checkStoreAgreesWithLog(
  store: EventStore,
  log: MerkleLogStore,
  { leavesPerPage = LEAF_PAGE }: { readonly leavesPerPage?: number } = {},
): Promise<Violation[]> {
  const { treeSize, position: loggedPosition } = await log.state();
  const report = new DivergenceReport();
  const events = store.readAll()[Symbol.asyncIterator]();
  const leaves = leavesOf(log, leavesPerPage)[Symbol.asyncIterator]();
  let event = await nextOf(events);
  let leaf = await nextOf(leaves);
  let nextIndex = 0;
  let lastLeaf: StoredLeaf | undefined;
  for (;;) {
    if (leaf && leaf.leafIndex >= treeSize) {
      report.add(aboutLeaf(leaf, `leaf ${leaf.leafIndex} is stored beyond the log's size of ${treeSize}`));
      leaf = await nextOf(leaves);
      continue;
    }
    if (leaf && leaf.leafIndex !== nextIndex) {
      report.add({ message: `leaves ${nextIndex}..${leaf.leafIndex - 1} are missing from the audit database` });
      nextIndex = leaf.leafIndex;
    }
    // With no leaf left, only events the log claims to have reached must still be found in it.
    const eventDue = event && (leaf ? event.position <= leaf.position : event.position <= loggedPosition);
    if (!leaf && !eventDue) break;
    if (leaf && event && leaf.position === event.position) {
      const reason = leafDisagreement(event, leaf);
      if (reason) report.add(aboutBoth(leaf, event, `leaf ${leaf.leafIndex}, ${describe(event)}: ${reason}`));
      [lastLeaf, nextIndex] = [leaf, leaf.leafIndex + 1];
      [event, leaf] = [await nextOf(events), await nextOf(leaves)];
    } else if (leaf && !eventDue) {
      report.add(
        aboutLeaf(leaf, `leaf ${leaf.leafIndex}, ${describeLeaf(leaf)}, is in the log but not in the event store`),
      );
      [lastLeaf, nextIndex] = [leaf, leaf.leafIndex + 1];
      leaf = await nextOf(leaves);
    } else if (event) {
      report.add(
        aboutEvent(event, `${describe(event)} is in the event store but not in the log, which should hold it`),
      );
      event = await nextOf(events);
    }
  }
  await Promise.all([events.return?.(undefined), leaves.return?.(undefined)]);
  if (nextIndex < treeSize) {
    report.add({ message: `leaves ${nextIndex}..${treeSize - 1} are missing from the audit database` });
  }
  if ((lastLeaf?.position ?? -1) !== loggedPosition) {
    report.add({
      message: `the log's state says it has logged the store up to position ${loggedPosition}, but its last leaf is at position ${lastLeaf?.position ?? 'none'}`,
    });
  }
  return report.violations();
}

async function* leavesOf(log: MerkleLogStore, leavesPerPage: number): AsyncGenerator<StoredLeaf> {
  for (let from = 0; ;) {
    const page = await log.leavesFrom(from, leavesPerPage);
    yield* page;
    if (page.length < leavesPerPage) return;
    from = page[page.length - 1].leafIndex + 1;
  }
}

async function nextOf<T>(iterator: AsyncIterator<T>): Promise<T | undefined> {
  const result = await iterator.next();
  return result.done ? undefined : result.value;
}

type Divergence = Omit<Violation, 'invariant'>;

class DivergenceReport {
  private readonly listed: Violation[] = [];
  private unlisted = 0;

  add(divergence: Divergence): void {
    if (this.listed.length < MAX_LISTED_DIVERGENCES) {
      this.listed.push({ invariant: 'store-agrees-with-log', ...divergence });
    } else this.unlisted++;
  }

  violations(): Violation[] {
    if (this.unlisted === 0) return this.listed;
    return [...this.listed, { invariant: 'store-agrees-with-log', message: `${this.unlisted} more divergences` }];
  }
}

function describe(event: RecordedEvent): string {
  return `event ${event.id} (${event.streamName} revision ${event.revision}, position ${event.position})`;
}

function describeLeaf(leaf: StoredLeaf): string {
  return `event ${leaf.eventId} (${leaf.stream} revision ${leaf.revision}, position ${leaf.position})`;
}

function aboutBoth(leaf: StoredLeaf, event: RecordedEvent, message: string): Divergence {
  return { ...aboutEvent(event, message), leafIndex: leaf.leafIndex };
}

function aboutEvent(event: RecordedEvent, message: string): Divergence {
  return { position: event.position, streamName: event.streamName, eventId: event.id, message };
}

function aboutLeaf(leaf: StoredLeaf, message: string): Divergence {
  return {
    position: leaf.position,
    streamName: leaf.stream,
    eventId: leaf.eventId,
    leafIndex: leaf.leafIndex,
    message,
  };
}
