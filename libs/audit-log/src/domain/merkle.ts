import { createHash, hash } from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 section 2.1 (the tree of RFC 6962): leaf hash
 * SHA-256(0x00 || leaf), node hash SHA-256(0x01 || left || right), a tree of n > 1 leaves split
 * at the largest power of two below n, odd nodes never duplicated. Sizes and indexes are plain
 * numbers up to 2^53; the bit arithmetic of the verifiers uses BigInt so it stays exact past 2^32.
 */

export const HASH_BYTES = 32;
export const LEAF_PREFIX: Uint8Array = Uint8Array.of(0x00);
const NODE_PREFIX = 0x01;

/** The root of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

/*
 * One-shot crypto.hash (Node 20.12+) over one contiguous buffer: about twice the rate of
 * createHash().update().digest() for leaf-sized inputs, where the per-call overhead, not the
 * compression function, is most of the cost.
 */

export function hashLeaf(leaf: Uint8Array): Buffer {
  const prefixed = Buffer.allocUnsafe(1 + leaf.length);
  prefixed.set(LEAF_PREFIX, 0);
  prefixed.set(leaf, 1);
  return hashLeafPrefixed(prefixed);
}

/** The leaf hash of `prefixed` = 0x00 ‖ leaf bytes, already laid out in one buffer (canonicalBytesAfter). */
export function hashLeafPrefixed(prefixed: Uint8Array): Buffer {
  if (prefixed[0] !== LEAF_PREFIX[0]) throw new RangeError('a prefixed leaf starts with 0x00');
  return hash('sha256', prefixed, 'buffer');
}

export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  const input = Buffer.allocUnsafe(1 + left.length + right.length);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return hash('sha256', input, 'buffer');
}

/** A complete subtree: the 2^level leaves from index·2^level, hashed into one node. */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

export interface HashedNode extends NodeId {
  readonly hash: Buffer;
}

export function nodeKey(node: NodeId): string {
  return `${node.level}/${node.index}`;
}

/** The largest power of two at most n (n ≥ 1), exact for every safe integer. */
export function largestPowerOfTwoAtMost(n: number): number {
  assertSize(n, 1);
  let power = 2 ** Math.floor(Math.log2(n));
  // Math.log2 may round near the top of the safe range; correct by one step either way.
  if (power > n) power /= 2;
  if (power * 2 <= n) power *= 2;
  return power;
}

/** RFC 9162's k for a tree of n ≥ 2 leaves: the largest power of two smaller than n. */
export function splitPoint(n: number): number {
  if (!(n >= 2)) throw new RangeError(`a tree of ${n} leaves has no split point`);
  const power = largestPowerOfTwoAtMost(n);
  return power === n ? n / 2 : power;
}

/** A half-open range of leaves [start, end) whose Merkle tree hash a proof carries. */
export interface LeafRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The complete subtrees, left to right, whose hashes fold into MTH(D[start:end]). In every range
 * a proof uses, `start` is a multiple of the largest power of two in the range's size, so the
 * range is its size's binary decomposition: one node per set bit.
 */
export function rangeNodes({ start, end }: LeafRange): NodeId[] {
  const nodes: NodeId[] = [];
  let at = start;
  while (at < end) {
    const width = largestPowerOfTwoAtMost(end - at);
    if (at % width !== 0) throw new RangeError(`range [${start}, ${end}) is not made of complete subtrees`);
    nodes.push({ level: Math.log2(width), index: at / width });
    at += width;
  }
  return nodes;
}

/** The complete subtrees that a tree of `size` leaves ends in: its right edge, left to right. */
export function frontierOf(size: number): NodeId[] {
  return rangeNodes({ start: 0, end: size });
}

/** MTH of a list of node hashes laid side by side (largest first): a right fold. */
export function foldRange(hashes: readonly Buffer[]): Buffer {
  if (hashes.length === 0) return EMPTY_ROOT;
  let hash = hashes[hashes.length - 1];
  for (let i = hashes.length - 2; i >= 0; i--) hash = hashChildren(hashes[i], hash);
  return hash;
}

/** Where a proof's node hashes come from: the log's stored complete subtrees. */
export type NodeLookup = (node: NodeId) => Buffer;

export function hashOfRange(range: LeafRange, lookup: NodeLookup): Buffer {
  return foldRange(rangeNodes(range).map(lookup));
}

/**
 * The ranges of an inclusion proof (RFC 9162 section 2.1.3.1, PATH(m, D[n])), from the leaf's
 * sibling up to the root's other child.
 */
export function inclusionRanges(index: number, size: number): LeafRange[] {
  assertSize(size, 1);
  if (!(Number.isSafeInteger(index) && index >= 0 && index < size)) {
    throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  }
  const topDown: LeafRange[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      topDown.push({ start: start + k, end });
      end = start + k;
    } else {
      topDown.push({ start, end: start + k });
      start += k;
    }
  }
  return topDown.reverse();
}

/**
 * The ranges of a consistency proof (RFC 9162 section 2.1.4.1, PROOF(m, D[n]) =
 * SUBPROOF(m, D[n], true)) for 0 < m ≤ n; empty when m = n.
 */
export function consistencyRanges(oldSize: number, newSize: number): LeafRange[] {
  assertSize(oldSize, 1);
  assertSize(newSize, oldSize);
  const topDown: LeafRange[] = [];
  let start = 0;
  let end = newSize;
  let m = oldSize;
  let whole = true;
  while (m !== end - start) {
    const k = splitPoint(end - start);
    if (m <= k) {
      topDown.push({ start: start + k, end });
      end = start + k;
    } else {
      topDown.push({ start, end: start + k });
      m -= k;
      start += k;
      whole = false;
    }
  }
  // SUBPROOF(m, D[m], false) = [MTH(D[m])]: the old tree is a subtree of the new one, so its
  // hash is part of the proof unless it is the old root itself (b = true).
  if (!whole) topDown.push({ start, end });
  return topDown.reverse();
}

/** Every complete subtree that the given ranges need, once each. */
export function nodesOfRanges(ranges: readonly LeafRange[]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const range of ranges) for (const node of rangeNodes(range)) seen.set(nodeKey(node), node);
  return [...seen.values()];
}

/** MTH(D[n]) straight from the leaf hashes, the reference the stored tree is tested against. */
export function rootOfLeafHashes(leafHashes: readonly Buffer[]): Buffer {
  if (leafHashes.length === 0) return EMPTY_ROOT;
  let level = [...leafHashes];
  // Pairing left to right and promoting an odd last node unchanged gives RFC 9162's tree.
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(hashChildren(level[i], level[i + 1]));
    if (level.length % 2 === 1) next.push(level[level.length - 1]);
    level = next;
  }
  return level[0];
}

function assertSize(value: number, min: number): void {
  if (!(Number.isSafeInteger(value) && value >= min)) throw new RangeError(`size ${value} is not an integer ≥ ${min}`);
}
