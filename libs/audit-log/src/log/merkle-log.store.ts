import {
  consistencyRanges,
  EMPTY_ROOT,
  foldRange,
  frontierOf,
  HashedNode,
  hashOfRange,
  inclusionRanges,
  NodeId,
  NodeLookup,
  nodeKey,
  nodesOfRanges,
  rangeNodes,
} from '../domain';
import { DomainError } from '@salur/kernel';
import { sql } from 'kysely';
import type Database from 'better-sqlite3';
import { LOG_STATE_ID, sqliteHandleOf } from './audit-log.database';
import type {
  AuditLogBatchLinesTable,
  AuditLogDatabase,
  AuditLogLeafTable,
  AuditLogSubjectTable,
} from './audit-log.tables';

export interface LogState {
  readonly treeSize: number;
  /** Event-store position of the last logged event; −1 when the log is empty. */
  readonly position: number;
}

export type StoredLeaf = AuditLogLeafTable;

/** The stable code of every refusal that comes from a damaged or unloggable log. */
export const LOG_INTEGRITY = 'LOG_INTEGRITY';

/** Another writer appended since this one read the state: reload and go on from there. */
export class LogMovedError extends Error {
  constructor(expected: number) {
    super(`The audit log is no longer at size ${expected}: another writer appended`);
    this.name = 'LogMovedError';
  }
}

/**
 * The log's tables no longer agree with themselves or with what was signed (a node a proof needs
 * is not stored, a leaf's bytes do not give its hash): they were truncated or altered. A conflict
 * with a stable code, so a route that meets it answers 409 LOG_INTEGRITY with the reason, never
 * a 500; nothing is signed or served from the damaged part.
 */
export class LogIntegrityError extends DomainError {
  constructor(message: string) {
    super('conflict', LOG_INTEGRITY, message);
    this.name = 'LogIntegrityError';
  }
}

/** Keys per `IN (…)` list. */
const READ_CHUNK_KEYS = 500;

/**
 * The Merkle log's storage: leaves with their exact bytes and hash, every complete subtree of
 * level ≥ 1 by (level, index), and the state row that is the projection's checkpoint. Appends
 * write all three in one transaction; proofs read the O(log n) nodes they need in one query.
 */
export class MerkleLogStore {
  private readonly appendRows: RowAppender;

  constructor(readonly db: AuditLogDatabase) {
    const handle = sqliteHandleOf(db);
    this.appendRows = handle ? sqliteAppender(db, handle) : postgresAppender(db);
  }

  async state(): Promise<LogState> {
    const row = await this.db
      .selectFrom('auditLogState')
      .select(['treeSize', 'position'])
      .where('id', '=', LOG_STATE_ID)
      .executeTakeFirstOrThrow();
    return { treeSize: Number(row.treeSize), position: Number(row.position) };
  }

  /** The complete subtrees the tree of `size` ends in: what an appender resumes from. */
  async frontier(size: number): Promise<HashedNode[]> {
    const ids = frontierOf(size);
    const lookup = await this.nodes(ids);
    return ids.map((id) => ({ ...id, hash: lookup(id) }));
  }

  /**
   * Appends leaves and the subtrees they complete, moving the state from `expected` to `next`:
   * a compare-and-set and the transaction's first statement, so a concurrent writer fails here
   * (LogMovedError) and nothing of this batch is written.
   */
  append(
    expected: LogState,
    next: LogState,
    leaves: readonly StoredLeaf[],
    nodes: readonly HashedNode[],
    subjects: readonly AuditLogSubjectTable[],
    batchLines: readonly AuditLogBatchLinesTable[] = [],
  ): Promise<void> {
    return this.appendRows({
      expected,
      next,
      leaves,
      nodes,
      subjects,
      batchLines,
      updatedAt: new Date().toISOString(),
    });
  }

  /** The line lists stored beside these v2 BatchCreated leaves (JSON arrays), by leaf index. */
  async batchLines(leafIndexes: readonly number[]): Promise<Map<number, string>> {
    const found = new Map<number, string>();
    for (const chunk of chunks(leafIndexes, READ_CHUNK_KEYS)) {
      const rows = await this.db
        .selectFrom('auditLogBatchLines')
        .select(['leafIndex', 'lines'])
        .where('leafIndex', 'in', chunk)
        .execute();
      for (const row of rows) found.set(Number(row.leafIndex), row.lines);
    }
    return found;
  }

  /** Reads the given complete subtrees (level 0: leaf hashes) in one query per kind. */
  async nodes(ids: readonly NodeId[]): Promise<NodeLookup> {
    const found = new Map<string, Buffer>();
    const leafIndexes = ids.filter((id) => id.level === 0).map((id) => id.index);
    for (const chunk of chunks(leafIndexes, READ_CHUNK_KEYS)) {
      const rows = await this.db
        .selectFrom('auditLogLeaves')
        .select(['leafIndex', 'leafHash'])
        .where('leafIndex', 'in', chunk)
        .execute();
      for (const row of rows) found.set(nodeKey({ level: 0, index: Number(row.leafIndex) }), row.leafHash);
    }
    const byLevel = new Map<number, number[]>();
    for (const id of ids) if (id.level > 0) byLevel.set(id.level, [...(byLevel.get(id.level) ?? []), id.index]);
    const groups = [...byLevel].flatMap(([level, indexes]) =>
      chunks(indexes, READ_CHUNK_KEYS).map((chunk) => [level, chunk] as const),
    );
    for (const batch of chunks(groups, 40)) {
      const rows = await this.db
        .selectFrom('auditLogNodes')
        .select(['level', 'nodeIndex', 'hash'])
        .where((eb) =>
          eb.or(batch.map(([level, indexes]) => eb.and([eb('level', '=', level), eb('nodeIndex', 'in', indexes)]))),
        )
        .execute();
      for (const row of rows) found.set(nodeKey({ level: Number(row.level), index: Number(row.nodeIndex) }), row.hash);
    }
    return (id) => {
      const hash = found.get(nodeKey(id));
      if (!hash)
        throw new LogIntegrityError(
          `the audit log has no hash for subtree ${nodeKey(id)}: its tables were truncated or altered`,
        );
      return hash;
    };
  }

  async root(size: number): Promise<Buffer> {
    if (size === 0) return EMPTY_ROOT;
    const ids = rangeNodes({ start: 0, end: size });
    const lookup = await this.nodes(ids);
    return foldRange(ids.map(lookup));
  }

  /** Inclusion paths of many leaves against one size, sharing one read of the nodes they need. */
  async inclusionProofs(leafIndexes: readonly number[], size: number): Promise<Map<number, Buffer[]>> {
    const ranges = new Map(leafIndexes.map((index) => [index, inclusionRanges(index, size)]));
    const lookup = await this.nodes(nodesOfRanges([...ranges.values()].flat()));
    return new Map([...ranges].map(([index, list]) => [index, list.map((range) => hashOfRange(range, lookup))]));
  }

  async consistencyProof(fromSize: number, toSize: number): Promise<Buffer[]> {
    if (fromSize === 0 || fromSize === toSize) return [];
    const ranges = consistencyRanges(fromSize, toSize);
    const lookup = await this.nodes(nodesOfRanges(ranges));
    return ranges.map((range) => hashOfRange(range, lookup));
  }

  /** The leaves of these streams below `size`, in log order. */
  async leavesOfStreams(streams: readonly string[], size: number): Promise<StoredLeaf[]> {
    const leaves: StoredLeaf[] = [];
    for (const chunk of chunks(streams, READ_CHUNK_KEYS)) {
      const rows = await this.db
        .selectFrom('auditLogLeaves')
        .selectAll()
        .where('stream', 'in', chunk)
        .where('leafIndex', '<', size)
        .execute();
      leaves.push(...rows.map(normalizeLeaf));
    }
    return leaves.sort((left, right) => left.leafIndex - right.leafIndex);
  }

  /** Streams of the leaves indexed under a subject below `size`, at most `limit` + 1 (to detect overflow). */
  async streamsOfSubject(subject: string, size: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('auditLogSubjects')
      .innerJoin('auditLogLeaves', 'auditLogLeaves.leafIndex', 'auditLogSubjects.leafIndex')
      .select('auditLogLeaves.stream')
      .distinct()
      .where('auditLogSubjects.subject', '=', subject)
      .where('auditLogSubjects.leafIndex', '<', size)
      .orderBy('auditLogLeaves.stream')
      .limit(limit + 1)
      .execute();
    return rows.map((row) => row.stream);
  }

  /** Leaves from `fromIndex` on, in order, at most `limit`: the export's pages. */
  async leavesFrom(fromIndex: number, limit: number): Promise<StoredLeaf[]> {
    const rows = await this.db
      .selectFrom('auditLogLeaves')
      .selectAll()
      .where('leafIndex', '>=', fromIndex)
      .orderBy('leafIndex')
      .limit(limit)
      .execute();
    return rows.map(normalizeLeaf);
  }
}

interface AppendRows {
  readonly expected: LogState;
  readonly next: LogState;
  readonly leaves: readonly StoredLeaf[];
  readonly nodes: readonly HashedNode[];
  readonly subjects: readonly AuditLogSubjectTable[];
  readonly batchLines: readonly AuditLogBatchLinesTable[];
  readonly updatedAt: string;
}

type RowAppender = (rows: AppendRows) => Promise<void>;

/**
 * SQLite: prepared statements run in one synchronous IMMEDIATE transaction (better-sqlite3),
 * taken while holding Kysely's single connection so no Kysely query interleaves. A CPU profile
 * of the Kysely path showed most of the writer's time spent compiling and binding multi-row
 * INSERTs; the rows themselves are all that is left now.
 */
function sqliteAppender(db: AuditLogDatabase, handle: Database.Database): RowAppender {
  const moveState = handle.prepare(
    'UPDATE audit_log_state SET tree_size = ?, position = ?, updated_at = ? WHERE id = ? AND tree_size = ?',
  );
  const insertLeaf = handle.prepare(
    'INSERT INTO audit_log_leaves (leaf_index, position, event_id, stream, revision, event_type, leaf_bytes, leaf_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertNode = handle.prepare('INSERT INTO audit_log_nodes (level, node_index, hash) VALUES (?, ?, ?)');
  const insertSubject = handle.prepare('INSERT INTO audit_log_subjects (subject, leaf_index) VALUES (?, ?)');
  // A leaf index is written again only after the log was truncated and regrows: its lines follow the new leaf.
  const insertLines = handle.prepare(
    'INSERT INTO audit_log_batch_lines (leaf_index, lines) VALUES (?, ?) ON CONFLICT (leaf_index) DO UPDATE SET lines = excluded.lines',
  );
  const write = handle.transaction(({ expected, next, leaves, nodes, subjects, batchLines, updatedAt }: AppendRows) => {
    const moved = moveState.run(next.treeSize, next.position, updatedAt, LOG_STATE_ID, expected.treeSize);
    if (moved.changes !== 1) throw new LogMovedError(expected.treeSize);
    for (const leaf of leaves) {
      insertLeaf.run(
        leaf.leafIndex,
        leaf.position,
        leaf.eventId,
        leaf.stream,
        leaf.revision,
        leaf.eventType,
        leaf.leafBytes,
        leaf.leafHash,
      );
    }
    for (const node of nodes) insertNode.run(node.level, node.index, node.hash);
    for (const subject of subjects) insertSubject.run(subject.subject, subject.leafIndex);
    for (const row of batchLines) insertLines.run(row.leafIndex, row.lines);
  });
  return (rows) => db.connection().execute(async () => write.immediate(rows));
}

/**
 * PostgreSQL: the state's compare-and-set, then one INSERT … SELECT FROM unnest(arrays) per
 * table: four statements per transaction whatever the batch size, where multi-row VALUES lists
 * cost a statement per 250 rows and a parameter per cell.
 */
function postgresAppender(db: AuditLogDatabase): RowAppender {
  return async ({ expected, next, leaves, nodes, subjects, batchLines, updatedAt }) => {
    await db.transaction().execute(async (trx) => {
      const moved = await trx
        .updateTable('auditLogState')
        .set({ treeSize: next.treeSize, position: next.position, updatedAt })
        .where('id', '=', LOG_STATE_ID)
        .where('treeSize', '=', expected.treeSize)
        .executeTakeFirst();
      if (moved.numUpdatedRows !== 1n) throw new LogMovedError(expected.treeSize);
      const column = <T>(rows: readonly T[], pick: (row: T) => unknown) => rows.map(pick);
      if (leaves.length > 0) {
        await sql`INSERT INTO audit_log_leaves (leaf_index, position, event_id, stream, revision, event_type, leaf_bytes, leaf_hash)
          SELECT * FROM unnest(${column(leaves, (l) => l.leafIndex)}::bigint[], ${column(leaves, (l) => l.position)}::bigint[],
            ${column(leaves, (l) => l.eventId)}::text[], ${column(leaves, (l) => l.stream)}::text[],
            ${column(leaves, (l) => l.revision)}::bigint[], ${column(leaves, (l) => l.eventType)}::text[],
            ${column(leaves, (l) => l.leafBytes)}::bytea[], ${column(leaves, (l) => l.leafHash)}::bytea[])`.execute(
          trx,
        );
      }
      if (nodes.length > 0) {
        await sql`INSERT INTO audit_log_nodes (level, node_index, hash)
          SELECT * FROM unnest(${column(nodes, (n) => n.level)}::integer[], ${column(nodes, (n) => n.index)}::bigint[],
            ${column(nodes, (n) => n.hash)}::bytea[])`.execute(trx);
      }
      if (subjects.length > 0) {
        await sql`INSERT INTO audit_log_subjects (subject, leaf_index)
          SELECT * FROM unnest(${column(subjects, (s) => s.subject)}::text[], ${column(subjects, (s) => s.leafIndex)}::bigint[])`.execute(
          trx,
        );
      }
      if (batchLines.length > 0)
        await trx
          .insertInto('auditLogBatchLines')
          .values([...batchLines])
          .execute();
    });
  };
}

function normalizeLeaf(row: StoredLeaf): StoredLeaf {
  return { ...row, leafIndex: Number(row.leafIndex), position: Number(row.position), revision: Number(row.revision) };
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
