import { sql, type Transaction } from 'kysely';
import {
  EMPTY_SUBTREE,
  EMPTY_SUBTREE_HASH,
  joinSubtrees,
  MapEntry,
  mapKeyOf,
  mapLeafHash,
  MapProof,
  mapProofOf,
  mapRootFromProof,
  MapSubtree,
  mapValueOf,
  siblingsBelow,
  StreamHead,
  subtreeHash,
} from '../domain';
import { MAP_STATE_ID } from './audit-log.database';
import type { AuditLogDatabase, AuditLogMapLeafTable, AuditLogTables } from './audit-log.tables';
import { chunks, LogIntegrityError } from './merkle-log.store';

/**
 * Depth of the part of the map kept as nodes (2^17 − 1 rows at most); below it, a bucket's
 * subtree is recomputed from its rows, which keep their leaf hashes. At a million streams a
 * bucket holds ~15 of them: ~15 node hashes to redo per changed bucket.
 */
export const MAP_BUCKET_DEPTH = 16;
const FIRST_BUCKET_INDEX = 1 << MAP_BUCKET_DEPTH;
const BUCKETS_PER_READ = 500;
const NODES_PER_READ = 500;
/** 5 columns a row: 5,000 parameters a statement, below SQLite's and PostgreSQL's limits. */
const ROWS_PER_WRITE = 1_000;

/** The map moved on (another process signed) while this one was preparing: sign again. */
export class MapMovedError extends Error {
  constructor(expected: number) {
    super(`The stream-head map is no longer at size ${expected}: another signer committed`);
    this.name = 'MapMovedError';
  }
}

export interface PreparedMap {
  readonly root: Buffer;
  /** Writes the map at the new size; call inside the transaction that stores the checkpoint. */
  commit(trx: Transaction<AuditLogTables>): Promise<void>;
}

export interface HeadWithProof {
  readonly head: StreamHead;
  readonly proof: MapProof;
}

interface Row extends MapEntry {
  readonly bucket: number;
  readonly revision: number;
  readonly leafIndex: number;
  /** New or changed since the map was last written. */
  readonly dirty: boolean;
}

/**
 * Keeps the stream-head map of the latest signed checkpoint. Built at signing time from the
 * leaves signed since the previous checkpoint (the heads are the leaves table's last event per
 * stream below the size), so the signed map root is that of exactly the checkpoint's size, and
 * the log writer's transaction stays as it was.
 */
export class StreamHeadMapStore {
  constructor(private readonly db: AuditLogDatabase) {}

  async state(): Promise<{ treeSize: number; root: Buffer }> {
    const row = await this.db
      .selectFrom('auditLogMapState')
      .select(['treeSize', 'rootHash'])
      .where('id', '=', MAP_STATE_ID)
      .executeTakeFirstOrThrow();
    return { treeSize: Number(row.treeSize), root: row.rootHash };
  }

  /** Computes the map at `treeSize` from the map at the last signed size and the leaves in between. */
  async prepare(treeSize: number): Promise<PreparedMap> {
    const from = await this.state();
    if (from.treeSize > treeSize)
      throw new LogIntegrityError(`the stream-head map stands at size ${from.treeSize}, beyond ${treeSize}`);
    const changesByBucket = groupByBucket(await this.headsBetween(from.treeSize, treeSize));
    const rows = await this.bucketRows([...changesByBucket.keys()]);
    const changedNodes = new Map<number, MapSubtree>();
    const dirtyRows: Row[] = [];
    // In bucket order, so that rows are written in primary-key order.
    for (const [bucket, changes] of [...changesByBucket].sort(([left], [right]) => left - right)) {
      const entries = mergeBucket(rows.get(bucket) ?? [], changes);
      for (const row of entries) if (row.dirty) dirtyRows.push(row);
      changedNodes.set(FIRST_BUCKET_INDEX + bucket, {
        hash: subtreeHash(MAP_BUCKET_DEPTH, entries),
        leaves: entries.length,
      });
    }
    const root =
      changedNodes.size === 0
        ? from.root
        : recomputeTop(await this.nodesAt(untouchedSiblings(changedNodes.keys())), changedNodes);
    return {
      root,
      commit: async (trx) => {
        const moved = await trx
          .updateTable('auditLogMapState')
          .set({ treeSize, rootHash: root })
          .where('id', '=', MAP_STATE_ID)
          .where('treeSize', '=', from.treeSize)
          .executeTakeFirst();
        if (moved.numUpdatedRows !== 1n) throw new MapMovedError(from.treeSize);
        for (const chunk of chunks(dirtyRows, ROWS_PER_WRITE)) {
          await trx
            .insertInto('auditLogMapLeaves')
            .values(chunk.map(toTableRow))
            .onConflict((conflict) =>
              conflict.columns(['bucket', 'keyHash']).doUpdateSet((eb) => ({
                revision: eb.ref('excluded.revision'),
                leafIndex: eb.ref('excluded.leafIndex'),
                leafHash: eb.ref('excluded.leafHash'),
              })),
            )
            .execute();
        }
        for (const chunk of chunks(
          [...changedNodes].sort(([left], [right]) => left - right),
          ROWS_PER_WRITE,
        )) {
          await trx
            .insertInto('auditLogMapNodes')
            .values(chunk.map(([nodeIndex, { hash, leaves }]) => ({ nodeIndex, hash, leaves })))
            .onConflict((conflict) =>
              conflict.column('nodeIndex').doUpdateSet((eb) => ({
                hash: eb.ref('excluded.hash'),
                leaves: eb.ref('excluded.leaves'),
              })),
            )
            .execute();
        }
      },
    };
  }

  /**
   * Each stream's head and map proof in the map at `treeSize`, which must be the size the map
   * stands at (the latest signed checkpoint); undefined when it moved meanwhile (ask again).
   */
  async proofs(streams: readonly string[], treeSize: number): Promise<Map<string, HeadWithProof> | undefined> {
    const before = await this.state();
    if (before.treeSize !== treeSize) return undefined;
    const keys = new Map(streams.map((stream) => [stream, mapKeyOf(stream)]));
    const rows = await this.bucketRows([...new Set([...keys.values()].map(bucketOf))]);
    const paths = [...keys.values()].flatMap((key) => pathIndexes(key).flatMap((index) => [index, index ^ 1]));
    const nodes = await this.nodesAt([...new Set(paths)]);
    const proofs = new Map<string, HeadWithProof>();
    for (const [stream, key] of keys) {
      const bucket = rows.get(bucketOf(key)) ?? [];
      const row = bucket.find((candidate) => candidate.key.equals(key));
      if (!row)
        throw new LogIntegrityError(`${stream} has events below size ${treeSize} but no head in the stream-head map`);
      const head = { stream, revision: row.revision, leafIndex: row.leafIndex };
      // A row's leaf hash reaches a root only when its bucket is next rehashed: check it now.
      if (!row.leafHash.equals(mapLeafHash(key, mapValueOf(head))))
        throw new LogIntegrityError(`the stream-head map's row of ${stream} does not hash to its head: it was altered`);
      const proof = mapProofOf(siblingsOf(key, bucket, nodes));
      if (!mapRootFromProof(head, proof).equals(before.root))
        throw new LogIntegrityError(`the stream-head map's tables do not hash to its root: they were altered`);
      proofs.set(stream, { head, proof });
    }
    return (await this.state()).treeSize === treeSize ? proofs : undefined;
  }

  /** The last event of every stream with events in [from, to): revision and leaf grow together in a stream. */
  private async headsBetween(from: number, to: number): Promise<StreamHead[]> {
    if (from >= to) return [];
    const rows = await this.db
      .selectFrom('auditLogLeaves')
      .select(['stream', sql<number>`max(revision)`.as('revision'), sql<number>`max(leaf_index)`.as('leafIndex')])
      .where('leafIndex', '>=', from)
      .where('leafIndex', '<', to)
      .groupBy('stream')
      .execute();
    return rows.map((row) => ({
      stream: row.stream,
      revision: Number(row.revision),
      leafIndex: Number(row.leafIndex),
    }));
  }

  /** Each bucket's rows, sorted by key. */
  private async bucketRows(buckets: readonly number[]): Promise<Map<number, Row[]>> {
    const result = new Map<number, Row[]>();
    for (const chunk of chunks(buckets, BUCKETS_PER_READ)) {
      const rows = await this.db.selectFrom('auditLogMapLeaves').selectAll().where('bucket', 'in', chunk).execute();
      for (const row of rows) {
        const bucket = Number(row.bucket);
        const list = result.get(bucket);
        if (list) list.push(fromTableRow(row));
        else result.set(bucket, [fromTableRow(row)]);
      }
    }
    for (const list of result.values()) list.sort(byKey);
    return result;
  }

  /** The stored nodes among these heap indexes; a node not stored is empty. */
  private async nodesAt(indexes: readonly number[]): Promise<Map<number, MapSubtree>> {
    const found = new Map<number, MapSubtree>();
    for (const chunk of chunks(indexes, NODES_PER_READ)) {
      const rows = await this.db.selectFrom('auditLogMapNodes').selectAll().where('nodeIndex', 'in', chunk).execute();
      for (const row of rows) found.set(Number(row.nodeIndex), { hash: row.hash, leaves: Number(row.leaves) });
    }
    return found;
  }
}

const bucketOf = (key: Buffer) => (key[0] << 8) | key[1];
const byKey = (left: MapEntry, right: MapEntry) => Buffer.compare(left.key, right.key);

function groupByBucket(heads: readonly StreamHead[]): Map<number, Array<{ key: Buffer; head: StreamHead }>> {
  const byBucket = new Map<number, Array<{ key: Buffer; head: StreamHead }>>();
  for (const head of heads) {
    const key = mapKeyOf(head.stream);
    const list = byBucket.get(bucketOf(key));
    if (list) list.push({ key, head });
    else byBucket.set(bucketOf(key), [{ key, head }]);
  }
  return byBucket;
}

/** Heap indexes (2^depth + prefix) of the key's path at depths 0 … 16: the root first, its bucket last. */
function pathIndexes(key: Buffer): number[] {
  return Array.from(
    { length: MAP_BUCKET_DEPTH + 1 },
    (_, depth) => (FIRST_BUCKET_INDEX + bucketOf(key)) >> (MAP_BUCKET_DEPTH - depth),
  );
}

/**
 * The siblings of the key's leaf, deepest first. The leaf sits at the first depth whose node
 * holds only it: among the stored nodes when that is 16 or less, else inside its bucket.
 */
function siblingsOf(key: Buffer, bucket: readonly Row[], nodes: ReadonlyMap<number, MapSubtree>): Buffer[] {
  const path = pathIndexes(key);
  const alone = path.findIndex((index) => nodes.get(index)?.leaves === 1);
  const leafTop = alone === -1 ? MAP_BUCKET_DEPTH : alone;
  const below = alone === -1 ? siblingsBelow(MAP_BUCKET_DEPTH, bucket, key) : [];
  const above: Buffer[] = [];
  for (let depth = leafTop; depth >= 1; depth--) above.push(nodes.get(path[depth] ^ 1)?.hash ?? EMPTY_SUBTREE_HASH);
  return [...below, ...above];
}

/** Siblings of the changed nodes' ancestors that did not change themselves: the nodes to read. */
function untouchedSiblings(changed: Iterable<number>): number[] {
  const touched = new Set<number>();
  for (let index of changed) {
    for (; index >= 1 && !touched.has(index); index >>= 1) touched.add(index);
  }
  return [...touched].filter((index) => index > 1 && !touched.has(index ^ 1)).map((index) => index ^ 1);
}

/**
 * The bucket's rows (sorted by key) with the changes applied, still sorted. Every change is a new
 * head (the stream has an event since the last checkpoint), so its row is dirty.
 */
function mergeBucket(existing: readonly Row[], changes: ReadonlyArray<{ key: Buffer; head: StreamHead }>): Row[] {
  const changed: Row[] = changes
    .map(({ key, head }) => ({
      key,
      bucket: bucketOf(key),
      revision: head.revision,
      leafIndex: head.leafIndex,
      leafHash: mapLeafHash(key, mapValueOf(head)),
      dirty: true,
    }))
    .sort(byKey);
  const merged: Row[] = [];
  let next = 0;
  for (const row of changed) {
    while (next < existing.length && byKey(existing[next], row) < 0) merged.push(existing[next++]);
    if (next < existing.length && byKey(existing[next], row) === 0) next++;
    merged.push(row);
  }
  while (next < existing.length) merged.push(existing[next++]);
  return merged;
}

/** Rehashes the changed buckets' ancestors from their children; returns the root (depth 0). */
function recomputeTop(untouched: ReadonlyMap<number, MapSubtree>, changed: Map<number, MapSubtree>): Buffer {
  const child = (index: number) => changed.get(index) ?? untouched.get(index) ?? EMPTY_SUBTREE;
  let level = new Set(changed.keys());
  for (let depth = MAP_BUCKET_DEPTH - 1; depth >= 0; depth--) {
    const parents = new Set([...level].map((index) => index >> 1));
    for (const parent of parents) changed.set(parent, joinSubtrees(child(parent * 2), child(parent * 2 + 1)));
    level = parents;
  }
  return (changed.get(1) ?? EMPTY_SUBTREE).hash;
}

function fromTableRow(row: AuditLogMapLeafTable): Row {
  return {
    key: row.keyHash,
    bucket: Number(row.bucket),
    revision: Number(row.revision),
    leafIndex: Number(row.leafIndex),
    leafHash: row.leafHash,
    dirty: false,
  };
}

function toTableRow(row: Row): AuditLogMapLeafTable {
  return {
    keyHash: row.key,
    bucket: row.bucket,
    revision: row.revision,
    leafIndex: row.leafIndex,
    leafHash: row.leafHash,
  };
}
