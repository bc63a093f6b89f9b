import { hash as oneShotHash, timingSafeEqual } from 'node:crypto';
import { canonicalize } from './jcs';
import { HASH_BYTES, hashChildren } from './merkle';

/**
 * The stream-head map: a compact sparse Merkle tree that every signed checkpoint commits to, so
 * that a proof can show where each of its streams ends at that checkpoint. It is built the way
 * Diem's Jellyfish Merkle tree is: a subtree holding a single leaf is that leaf, so an update
 * rehashes ~log₂ n nodes instead of the 256 of a full-depth sparse tree.
 *
 * - Key: SHA-256 of the stream name (UTF-8), read as 256 bits, bit 0 the most significant bit of
 *   byte 0. The subtree at depth d holds the keys sharing one d-bit prefix; bit d = 0 goes left.
 * - Value: SHA-256 of the RFC 8785 form of `{ stream, revision, leafIndex }` (the stream's last
 *   event and its leaf).
 * - Leaf: SHA-256(0x00 ‖ key ‖ value).
 * - The hash of a subtree is, by how many keys it holds:
 *   none: the empty hash, 32 zero bytes;
 *   one: that key's leaf hash, at whatever depth (the leaf names its key, so its position is
 *   implied);
 *   two or more: SHA-256(0x01 ‖ left ‖ right) of its two children at the next depth, one of
 *   which is empty when all its keys share the next bit.
 *   The root is the hash at depth 0; the empty map's root is the empty hash.
 * - A key's leaf therefore sits at depth D = 1 + the longest prefix it shares with another key
 *   (D = 0 when it is alone), ~log₂ n for n hashed keys. At most 256, since keys differ.
 * - Membership proof `{ depth: D, siblings }`: the D siblings of the path, deepest first (depth
 *   D, D − 1, …, 1), an empty one as 32 zero bytes. From the leaf up, at depth d the sibling goes
 *   right when the key's bit d − 1 is 0, left when it is 1; the result must be the root.
 * - Non-membership proof (defined, not built: no document needs to show a stream is absent): the
 *   same path for the absent key, ending at depth D either at the empty hash or at the leaf of
 *   another key that shares the absent key's first D bits (given with its value), folded the
 *   same way.
 *
 * Why one root commits to at most one value per key, even from a dishonest signer: 0x00 and 0x01
 * separate leaves from nodes, and no known input hashes to 32 zero bytes, so a leaf hash is never
 * a node's or the empty hash. A proof walks the key's own bits from the root, so every proof for a
 * key passes through the same positions, and a leaf at one of them cannot also be, or lie under, a
 * node at another. A proof's depth need not be checked against anything but its sibling count.
 *
 * tools/salur-verify.js holds the same definitions, written again in plain JavaScript.
 */
export const MAP_KEY_BITS = 256;
const LEAF_PREFIX = 0x00;

/** The hash of a subtree that holds no key. */
export const EMPTY_SUBTREE_HASH: Buffer = Buffer.alloc(HASH_BYTES);
export const EMPTY_MAP_ROOT: Buffer = EMPTY_SUBTREE_HASH;

export interface StreamHead {
  readonly stream: string;
  readonly revision: number;
  readonly leafIndex: number;
}

// One-shot crypto.hash over a string hashes its UTF-8 bytes, at about twice createHash's rate.
export const mapKeyOf = (stream: string): Buffer => oneShotHash('sha256', stream, 'buffer');

export function mapValueOf(head: StreamHead): Buffer {
  return oneShotHash(
    'sha256',
    canonicalize({ stream: head.stream, revision: head.revision, leafIndex: head.leafIndex }),
    'buffer',
  );
}

export function mapLeafHash(key: Uint8Array, value: Uint8Array): Buffer {
  const input = Buffer.allocUnsafe(1 + key.length + value.length);
  input[0] = LEAF_PREFIX;
  input.set(key, 1);
  input.set(value, 1 + key.length);
  return oneShotHash('sha256', input, 'buffer');
}

export function bitOf(key: Uint8Array, index: number): 0 | 1 {
  return ((key[index >> 3] >> (7 - (index & 7))) & 1) as 0 | 1;
}

/** Bits the two keys share from the top (256 when equal). */
export function commonPrefixBits(left: Uint8Array, right: Uint8Array): number {
  for (let byte = 0; byte < HASH_BYTES; byte++) {
    const diff = left[byte] ^ right[byte];
    if (diff !== 0) return byte * 8 + Math.clz32(diff) - 24;
  }
  return MAP_KEY_BITS;
}

/** A present entry: its key and its leaf hash. */
export interface MapEntry {
  readonly key: Buffer;
  readonly leafHash: Buffer;
}

/** A subtree as its parent needs it: its hash, and how many keys it holds (a lone leaf rises). */
export interface MapSubtree {
  readonly hash: Buffer;
  readonly leaves: number;
}

export const EMPTY_SUBTREE: MapSubtree = { hash: EMPTY_SUBTREE_HASH, leaves: 0 };

/** The subtree whose children are `left` and `right`: empty, the lone leaf itself, or a node. */
export function joinSubtrees(left: MapSubtree, right: MapSubtree): MapSubtree {
  const leaves = left.leaves + right.leaves;
  if (leaves === 0) return EMPTY_SUBTREE;
  if (leaves === 1) return left.leaves === 1 ? left : right;

  return { hash: hashChildren(left.hash, right.hash), leaves };
}

/** The hash at `depth` of the subtree holding `entries` (sorted by key, all under one prefix of `depth` bits). */
export function subtreeHash(depth: number, entries: readonly MapEntry[]): Buffer {
  return hashOfRange(depth, entries, 0, entries.length);
}

function hashOfRange(depth: number, entries: readonly MapEntry[], from: number, to: number): Buffer {
  if (to === from) return EMPTY_SUBTREE_HASH;
  if (to - from === 1) return entries[from].leafHash;
  const split = splitAt(entries, depth, from, to);
  return hashChildren(hashOfRange(depth + 1, entries, from, split), hashOfRange(depth + 1, entries, split, to));
}

/** Index in [from, to) of the first entry whose bit `depth` is 1 (entries sorted by key). */
function splitAt(entries: readonly MapEntry[], depth: number, from: number, to: number): number {
  // Two keys alike in all 256 bits are one key listed twice: a bug in the caller.
  if (depth >= MAP_KEY_BITS) throw new RangeError('the map entries hold one key twice');
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (bitOf(entries[middle].key, depth) === 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The siblings of `key`'s leaf below `depth`, deepest first, from the entries of the subtree at
 * `depth` that holds it (sorted by key); the leaf sits at `depth` + their count.
 */
export function siblingsBelow(depth: number, entries: readonly MapEntry[], key: Buffer): Buffer[] {
  const siblings: Buffer[] = [];
  let from = 0;
  let to = entries.length;
  for (let d = depth; to - from > 1; d++) {
    const split = splitAt(entries, d, from, to);
    if (bitOf(key, d) === 0) {
      siblings.push(hashOfRange(d + 1, entries, split, to));
      to = split;
    } else {
      siblings.push(hashOfRange(d + 1, entries, from, split));
      from = split;
    }
  }
  if (to - from !== 1 || !entries[from].key.equals(key)) throw new RangeError('the key is not among the entries');
  return siblings.reverse();
}

export interface MapProof {
  /** Depth of the stream's leaf, which is the number of siblings. */
  readonly depth: number;
  /** Base64 of the siblings on the leaf's path, deepest first (depth `depth` … 1); an empty one is 32 zero bytes. */
  readonly siblings: readonly string[];
}

/** The proof of a leaf whose siblings are these, deepest first. */
export function mapProofOf(siblings: readonly Buffer[]): MapProof {
  if (siblings.length > MAP_KEY_BITS) throw new RangeError(`a map path has at most ${MAP_KEY_BITS} siblings`);
  if (siblings.some((sibling) => sibling.length !== HASH_BYTES)) throw new RangeError('a map sibling is 32 bytes');
  return { depth: siblings.length, siblings: siblings.map((sibling) => sibling.toString('base64')) };
}

export class MapProofError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MapProofError';
  }
}

/** The map root a proof leads to for this head; throws MapProofError when the proof is malformed. */
export function mapRootFromProof(head: StreamHead, proof: MapProof): Buffer {
  const depth: unknown = proof?.depth;
  if (typeof depth !== 'number' || !Number.isSafeInteger(depth) || depth < 0 || depth > MAP_KEY_BITS)
    throw new MapProofError(`the depth is not a whole number from 0 to ${MAP_KEY_BITS}`);
  if (!Array.isArray(proof.siblings) || proof.siblings.length !== depth)
    throw new MapProofError(`the proof has depth ${depth} but ${describeCount(proof.siblings)} siblings`);
  const siblings = proof.siblings.map((text, i) => strictBase64(text, `sibling ${i}`));
  siblings.forEach((sibling, i) => {
    if (sibling.length !== HASH_BYTES) throw new MapProofError(`sibling ${i} has ${sibling.length} bytes, not 32`);
  });
  const key = mapKeyOf(head.stream);
  let hash = mapLeafHash(key, mapValueOf(head));
  siblings.forEach((sibling, i) => {
    hash = bitOf(key, depth - 1 - i) === 0 ? hashChildren(hash, sibling) : hashChildren(sibling, hash);
  });
  return hash;
}

/** Checks that the map of `root` holds exactly this head for its stream. */
export function verifyMapProof(head: StreamHead, proof: MapProof, root: Uint8Array): void {
  const computed = mapRootFromProof(head, proof);
  if (!(computed.length === root.length && timingSafeEqual(computed, root))) {
    throw new MapProofError(
      `the map proof of ${head.stream} at revision ${head.revision} (leaf ${head.leafIndex}) does not lead to the signed map root`,
    );
  }
}

const describeCount = (siblings: unknown) => (Array.isArray(siblings) ? String(siblings.length) : 'no list of');

function strictBase64(text: unknown, what: string): Buffer {
  const bytes = Buffer.from(String(text), 'base64');
  if (typeof text !== 'string' || bytes.toString('base64') !== text)
    throw new MapProofError(`${what} is not canonical base64`);
  return bytes;
}
