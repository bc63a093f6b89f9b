import type { Kysely } from 'kysely';

/**
 * The audit log's tables, camelCase in code and snake_case in SQL (the read-model database's
 * CamelCasePlugin). Hashes and leaf bytes are BLOB (SQLite) / BYTEA (PostgreSQL): the exact
 * bytes, never re-encoded. Counts and positions are BIGINT, returned as numbers (below 2^53).
 */
export interface AuditLogStateTable {
  /** One row, id 'log'. */
  readonly id: string;
  /** Leaves in the log: the next leaf's index. */
  readonly treeSize: number;
  /** Event-store position of the last logged event, −1 before the first: the projection's checkpoint. */
  readonly position: number;
  readonly updatedAt: string;
}

export interface AuditLogLeafTable {
  readonly leafIndex: number;
  readonly position: number;
  readonly eventId: string;
  readonly stream: string;
  readonly revision: number;
  readonly eventType: string;
  /** The RFC 8785 bytes that were hashed. */
  readonly leafBytes: Buffer;
  /** SHA-256(0x00 || leafBytes). */
  readonly leafHash: Buffer;
}

/** Complete subtrees of level ≥ 1 (level 0 is the leaves' own hash): 2^level leaves from index·2^level. */
export interface AuditLogNodeTable {
  readonly level: number;
  readonly nodeIndex: number;
  readonly hash: Buffer;
}

/** Which leaves speak of a beneficiary or a batch, so their proofs find the payments. */
export interface AuditLogSubjectTable {
  readonly subject: string;
  readonly leafIndex: number;
}

export interface AuditLogCheckpointTable {
  readonly treeSize: number;
  readonly rootHash: Buffer;
  /** The signed note as published, the log's signature only. */
  readonly note: string;
  readonly keyName: string;
  readonly keyId: string;
  readonly signedAt: string;
}

export interface AuditLogCosignatureTable {
  readonly treeSize: number;
  readonly keyName: string;
  readonly keyId: string;
  /** The signature line as the witness wrote it. */
  readonly line: string;
  readonly addedAt: string;
}

/**
 * The stream-head map (domain/stream-head-map.ts) as of the latest signed checkpoint, one row per
 * stream. Rows are grouped in buckets by the key's first 16 bits, the part of the tree kept in
 * audit_log_map_nodes; a proof reads one bucket. The leaf hash is kept so that rehashing a bucket
 * costs only its nodes.
 */
export interface AuditLogMapLeafTable {
  readonly keyHash: Buffer;
  readonly bucket: number;
  readonly revision: number;
  readonly leafIndex: number;
  readonly leafHash: Buffer;
}

/**
 * The map's non-empty subtrees at depths 0 … 16, by heap index 2^depth + prefix (1 is the root),
 * with how many streams each holds: a parent needs to know whether a child is a lone leaf.
 */
export interface AuditLogMapNodeTable {
  readonly nodeIndex: number;
  readonly hash: Buffer;
  readonly leaves: number;
}

/** One row, id 'map': the checkpoint size the map stands at (the latest signed) and its root. */
export interface AuditLogMapStateTable {
  readonly id: string;
  readonly treeSize: number;
  readonly rootHash: Buffer;
}

/**
 * The line list of each salur-batch/v2 BatchCreated leaf (whose leaf keeps only the lines' root):
 * a JSON array of the canonical lines in tree order, what a proof's inclusion paths are computed
 * from. Written with the leaf; a proof checks it against the leaf's root before using it.
 */
export interface AuditLogBatchLinesTable {
  readonly leafIndex: number;
  readonly lines: string;
}

export interface AuditLogTables {
  readonly auditLogState: AuditLogStateTable;
  readonly auditLogLeaves: AuditLogLeafTable;
  readonly auditLogNodes: AuditLogNodeTable;
  readonly auditLogSubjects: AuditLogSubjectTable;
  readonly auditLogBatchLines: AuditLogBatchLinesTable;
  readonly auditLogCheckpoints: AuditLogCheckpointTable;
  readonly auditLogCosignatures: AuditLogCosignatureTable;
  readonly auditLogMapLeaves: AuditLogMapLeafTable;
  readonly auditLogMapNodes: AuditLogMapNodeTable;
  readonly auditLogMapState: AuditLogMapStateTable;
}

export type AuditLogDatabase = Kysely<AuditLogTables>;

/** Injection token of the AuditLogDatabase in Nest. */
export const AUDIT_LOG_DATABASE = Symbol('AUDIT_LOG_DATABASE');
