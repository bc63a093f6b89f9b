import { sql, type Transaction } from 'kysely';
import {
  bitOf,
  chainHash,
  commonPrefixBits,
  compressMapProof,
  DEFAULT_HASHES,
  hashChildren,
  MapEntry,
  mapKeyOf,
  mapLeafHash,
  MapProof,
  mapRootFromProof,
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
 * subtree is recomputed from its rows. At a million streams a bucket holds ~15 of them.
 */
export const MAP_BUCKET_DEPTH = 16;
const BUCKETS_PER_READ = 500;
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
  revision: number;
  leafIndex: number;
  valueHash: Buffer;
  chain: { depth: number; hash: Buffer };
  dirty: boolean;
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
    const heads = await this.headsBetween(from.treeSize, treeSize);
    const byBucket = new Map<number, Array<{ key: Buffer; head: StreamHead }>>();
    for (const head of heads) {
      const key = mapKeyOf(head.stream);
      const bucket = bucketOf(key);
      byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), { key, head }]);
    }
    const rows = await this.bucketRows([...byBucket.keys()]);
    const nodes = heads.length === 0 ? new Map<number, Buffer>() : await this.allNodes();
    const changedNodes = new Map<number, Buffer>();
    for (const [bucket, changes] of byBucket) {
      const entries = mergeBucket(rows.get(bucket) ?? [], changes);
      rows.set(bucket, entries);
      changedNodes.set((1 << MAP_BUCKET_DEPTH) + bucket, subtreeHash(MAP_BUCKET_DEPTH, entries));
    }
    const root = heads.length === 0 ? from.root : recomputeTop(nodes, changedNodes);
    const dirtyRows = [...rows.values()].flat().filter((row) => row.dirty);
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
              conflict.column('keyHash').doUpdateSet((eb) => ({
                revision: eb.ref('excluded.revision'),
                leafIndex: eb.ref('excluded.leafIndex'),
                valueHash: eb.ref('excluded.valueHash'),
                chainDepth: eb.ref('excluded.chainDepth'),
                chainHash: eb.ref('excluded.chainHash'),
              })),
            )
            .execute();
        }
        for (const chunk of chunks([...changedNodes], ROWS_PER_WRITE)) {
          await trx
            .insertInto('auditLogMapNodes')
            .values(chunk.map(([nodeIndex, hash]) => ({ nodeIndex, hash })))
            .onConflict((conflict) =>
              conflict.column('nodeIndex').doUpdateSet((eb) => ({ hash: eb.ref('excluded.hash') })),
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
    const nodeIndexes = [...keys.values()].flatMap((key) => topSiblingIndexes(key));
    const nodes = await this.nodesAt([...new Set(nodeIndexes)]);
    const proofs = new Map<string, HeadWithProof>();
    for (const [stream, key] of keys) {
      const bucket = rows.get(bucketOf(key)) ?? [];
      const row = bucket.find((candidate) => candidate.key.equals(key));
      if (!row)
        throw new LogIntegrityError(`${stream} has events below size ${treeSize} but no head in the stream-head map`);
      const head = { stream, revision: row.revision, leafIndex: row.leafIndex };
      const top = topSiblingIndexes(key).map((index, i) => nodes.get(index) ?? DEFAULT_HASHES[i + 1]);
      const proof = compressMapProof([...top, ...siblingsBelow(MAP_BUCKET_DEPTH, bucket, key)]);
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

  private async bucketRows(buckets: readonly number[]): Promise<Map<number, Row[]>> {
    const result = new Map<number, Row[]>();
    for (const chunk of chunks(buckets, BUCKETS_PER_READ)) {
      const rows = await this.db.selectFrom('auditLogMapLeaves').selectAll().where('bucket', 'in', chunk).execute();
      for (const row of rows) {
        const bucket = Number(row.bucket);
        result.set(bucket, [...(result.get(bucket) ?? []), fromTableRow(row)]);
      }
    }
    for (const list of result.values()) list.sort((left, right) => Buffer.compare(left.key, right.key));
    return result;
  }

  private async allNodes(): Promise<Map<number, Buffer>> {
    const rows = await this.db.selectFrom('auditLogMapNodes').selectAll().execute();
    return new Map(rows.map((row) => [Number(row.nodeIndex), row.hash]));
  }

  private async nodesAt(indexes: readonly number[]): Promise<Map<number, Buffer>> {
    const found = new Map<number, Buffer>();
    for (const chunk of chunks(indexes, BUCKETS_PER_READ)) {
      const rows = await this.db.selectFrom('auditLogMapNodes').selectAll().where('nodeIndex', 'in', chunk).execute();
      for (const row of rows) found.set(Number(row.nodeIndex), row.hash);
    }
    return found;
  }
}

const bucketOf = (key: Buffer) => (key[0] << 8) | key[1];

/** Heap indexes of the siblings at depths 1 … 16 of the key's path. */
function topSiblingIndexes(key: Buffer): number[] {
  const indexes: number[] = [];
  let index = 1;
  for (let depth = 0; depth < MAP_BUCKET_DEPTH; depth++) {
    index = index * 2 + bitOf(key, depth);
    indexes.push(index ^ 1);
  }
  return indexes;
}

/**
 * The bucket's rows with the changes applied, sorted by key; a row whose value or whose alone
 * depth (one below its longest shared prefix with a neighbour) changed gets its chain recomputed.
 */
function mergeBucket(existing: readonly Row[], changes: ReadonlyArray<{ key: Buffer; head: StreamHead }>): Row[] {
  const byKey = new Map(existing.map((row) => [row.key.toString('hex'), row]));
  for (const { key, head } of changes) {
    const valueHash = mapValueOf(head);
    const known = byKey.get(key.toString('hex'));
    if (known && known.valueHash.equals(valueHash)) continue;
    byKey.set(key.toString('hex'), {
      key,
      bucket: bucketOf(key),
      revision: head.revision,
      leafIndex: head.leafIndex,
      valueHash,
      leafHash: mapLeafHash(key, valueHash),
      chain: { depth: -1, hash: Buffer.alloc(0) },
      dirty: true,
    });
  }
  const rows = [...byKey.values()].sort((left, right) => Buffer.compare(left.key, right.key));
  rows.forEach((row, i) => {
    const shared = Math.max(
      i > 0 ? commonPrefixBits(rows[i - 1].key, row.key) : 0,
      i + 1 < rows.length ? commonPrefixBits(rows[i + 1].key, row.key) : 0,
    );
    const depth = Math.max(MAP_BUCKET_DEPTH, shared + 1);
    if (depth === row.chain.depth && !row.dirty) return;
    row.chain = { depth, hash: chainHash({ key: row.key, leafHash: row.leafHash }, depth) };
    row.dirty = true;
  });
  return rows;
}

/** Sets the changed buckets' nodes and rehashes their ancestors; returns the root (depth 0). */
function recomputeTop(nodes: Map<number, Buffer>, changed: Map<number, Buffer>): Buffer {
  let level = new Set(changed.keys());
  for (const [index, hash] of changed) nodes.set(index, hash);
  for (let depth = MAP_BUCKET_DEPTH - 1; depth >= 0; depth--) {
    const parents = new Set([...level].map((index) => index >> 1));
    for (const parent of parents) {
      const hash = hashChildren(
        nodes.get(parent * 2) ?? DEFAULT_HASHES[depth + 1],
        nodes.get(parent * 2 + 1) ?? DEFAULT_HASHES[depth + 1],
      );
      nodes.set(parent, hash);
      changed.set(parent, hash);
    }
    level = parents;
  }
  return nodes.get(1) ?? DEFAULT_HASHES[0];
}

function fromTableRow(row: AuditLogMapLeafTable): Row {
  return {
    key: row.keyHash,
    bucket: Number(row.bucket),
    revision: Number(row.revision),
    leafIndex: Number(row.leafIndex),
    valueHash: row.valueHash,
    leafHash: mapLeafHash(row.keyHash, row.valueHash),
    chain: { depth: Number(row.chainDepth), hash: row.chainHash },
    dirty: false,
  };
}

function toTableRow(row: Row): AuditLogMapLeafTable {
  return {
    keyHash: row.key,
    bucket: row.bucket,
    revision: row.revision,
    leafIndex: row.leafIndex,
    valueHash: row.valueHash,
    chainDepth: row.chain.depth,
    chainHash: row.chain.hash,
  };
}
