import { hash } from 'node:crypto';

/*
 * A batch's content as a Merkle tree of its lines (salur-batch/v2). Here, in the kernel, because
 * two capabilities compute it and neither may import the other: the batches decider (the content
 * hash approvers sign) and the audit log (the leaf that summarises the lines, and the inclusion
 * path a payment proof carries). tools/salur-verify.js writes it a third time, in plain JavaScript.
 *
 * - a line is `[paymentId, beneficiaryId, amount, bankCode, beneficiaryRevision]`: the account is
 *   bound by reference to the beneficiary's record at that revision, so a line holds no personal data;
 * - lines are sorted by paymentId; the lines root is the RFC 9162 tree hash over them, leaf
 *   SHA-256(0x00 ‖ JCS(line)), node SHA-256(0x01 ‖ left ‖ right);
 * - the content hash is SHA-256(JCS({format, batchId, programmeId, period, count, total, linesRoot})),
 *   hex, so the count and total are signed with the lines.
 *
 * JCS (RFC 8785) of arrays of strings and safe integers, and of objects with keys in code-point
 * order, is what JSON.stringify writes: its string escaping is the one RFC 8785 adopts.
 */

export const BATCH_CONTENT_FORMAT = 'salur-batch/v2';
export type BatchContentFormat = typeof BATCH_CONTENT_FORMAT;

/** `[paymentId, beneficiaryId, amount, bankCode, beneficiaryRevision]`. */
export type CanonicalBatchLine = readonly [string, string, string, string, number];

export interface BatchLineFields {
  readonly paymentId: string;
  readonly beneficiaryId: string;
  readonly amount: string;
  readonly bankCode: string;
  readonly beneficiaryRevision: number;
}

/** What the approvers sign besides the lines root: the batch, its round, how many lines, their sum. */
export interface BatchContentHeader {
  readonly batchId: string;
  readonly programmeId: string;
  readonly period: string;
  readonly count: number;
  /** Canonical two-decimal sum of the lines. */
  readonly total: string;
  /** Hex. */
  readonly linesRoot: string;
}

/** A batch holds at most 5,000 lines; a path is at most ⌈log2⌉ of that, with room to spare. */
const MAX_PATH_HASHES = 64;

export function canonicalBatchLine(line: BatchLineFields): CanonicalBatchLine {
  return [line.paymentId, line.beneficiaryId, line.amount, line.bankCode, line.beneficiaryRevision];
}

/** Lines in tree order: by paymentId, compared by UTF-16 code units like the v1 hash did. */
export function sortBatchLines<T extends readonly unknown[]>(lines: readonly T[]): T[] {
  return [...lines].sort((left, right) => {
    const [a, b] = [String(left[0]), String(right[0])];
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

export function batchLineLeafHash(line: readonly unknown[]): Buffer {
  return sha256(Buffer.concat([Buffer.of(0x00), Buffer.from(JSON.stringify(line), 'utf8')]));
}

/** The RFC 9162 root over the lines as given (sort them first); hex. SHA-256 of nothing for none. */
export function batchLinesRoot(lines: readonly (readonly unknown[])[]): string {
  return batchLinesTree(lines).root;
}

/** The inclusion path of line `index` (RFC 9162 2.1.3), hex, from the leaf's sibling upwards. */
export function batchLineInclusionPath(lines: readonly (readonly unknown[])[], index: number): string[] {
  return batchLinesTree(lines).pathOf(index);
}

export interface BatchLinesTree {
  /** Hex. */
  readonly root: string;
  readonly size: number;
  pathOf(index: number): string[];
}

/**
 * The tree over the lines as given, each node hashed once and kept by level: a batch proof asks
 * for a path per line, which would otherwise rehash the whole batch for each of them. Built
 * bottom-up, a level's last node without a sibling carried up as it is: the same tree as RFC
 * 9162's split at the largest power of two (the left subtrees are perfect, so only the rightmost
 * node of a level can lack a sibling), and the same paths.
 */
export function batchLinesTree(lines: readonly (readonly unknown[])[]): BatchLinesTree {
  const levels: Buffer[][] = [lines.map(batchLineLeafHash)];
  for (let level = levels[0]; level.length > 1;) {
    const up: Buffer[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) up.push(hashChildren(level[i], level[i + 1]));
    if (level.length % 2 === 1) up.push(level[level.length - 1]);
    levels.push(up);
    level = up;
  }
  const size = lines.length;
  return {
    root: (size === 0 ? sha256(Buffer.alloc(0)) : levels[levels.length - 1][0]).toString('hex'),
    size,
    pathOf(index) {
      if (!Number.isSafeInteger(index) || index < 0 || index >= size)
        throw new RangeError(`line ${index} is not in a batch of ${size}`);
      const path: string[] = [];
      let at = index;
      for (const level of levels.slice(0, -1)) {
        const sibling = at ^ 1;
        if (sibling < level.length) path.push(level[sibling].toString('hex'));
        at >>= 1;
      }
      return path;
    },
  };
}

/**
 * The root that `line` at `index` of a tree of `size` lines gives with `path` (RFC 9162 2.1.3.2);
 * null when the path cannot be of that index and size (wrong length, not hex).
 */
export function batchLinesRootFromPath(
  line: readonly unknown[],
  index: number,
  size: number,
  path: readonly string[],
): string | null {
  if (!Number.isSafeInteger(size) || !Number.isSafeInteger(index) || index < 0 || index >= size) return null;
  if (path.length > MAX_PATH_HASHES || !path.every((hash) => /^[0-9a-f]{64}$/.test(hash))) return null;
  let [fn, sn] = [BigInt(index), BigInt(size - 1)];
  let result = batchLineLeafHash(line);
  for (const sibling of path.map((hash) => Buffer.from(hash, 'hex'))) {
    if (sn === 0n) return null;
    if ((fn & 1n) === 1n || fn === sn) {
      result = hashChildren(sibling, result);
      if ((fn & 1n) === 0n) while ((fn & 1n) === 0n && fn !== 0n) [fn, sn] = [fn >> 1n, sn >> 1n];
    } else {
      result = hashChildren(result, sibling);
    }
    [fn, sn] = [fn >> 1n, sn >> 1n];
  }
  return sn === 0n ? result.toString('hex') : null;
}

/** The content hash approvers sign (hex): SHA-256 of the canonical header. */
export function batchContentHashV2(header: BatchContentHeader): string {
  // Keys in code-point order: this string is the RFC 8785 form of the header.
  const canonical = JSON.stringify({
    batchId: header.batchId,
    count: header.count,
    format: BATCH_CONTENT_FORMAT,
    linesRoot: header.linesRoot,
    period: header.period,
    programmeId: header.programmeId,
    total: header.total,
  });
  return sha256(Buffer.from(canonical, 'utf8')).toString('hex');
}

function hashChildren(left: Buffer, right: Buffer): Buffer {
  return sha256(Buffer.concat([Buffer.of(0x01), left, right]));
}

/** One-shot SHA-256 (crypto.hash, Node 20.12+): about twice as fast as createHash for small inputs. */
function sha256(bytes: Buffer): Buffer {
  return hash('sha256', bytes, 'buffer');
}
