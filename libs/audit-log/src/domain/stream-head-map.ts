import { createHash, timingSafeEqual } from 'node:crypto';
import { canonicalize } from './jcs';
import { HASH_BYTES, hashChildren } from './merkle';

/**
 * The stream-head map: a sparse Merkle tree that every signed checkpoint commits to, so that a
 * proof can show where each of its streams ends at that checkpoint (the anchors are Trillian's
 * log-backed map, Google Key Transparency and Meta's auditable key directory).
 *
 * - Key: SHA-256 of the stream name (UTF-8); 256 levels, bit 0 the most significant bit of
 *   byte 0, a 0 bit going left.
 * - Value: SHA-256 of the RFC 8785 form of `{ stream, revision, leafIndex }` (the stream's last
 *   event and its leaf).
 * - A present leaf hashes to SHA-256(0x00 ‖ key ‖ value); a node to SHA-256(0x01 ‖ left ‖ right)
 *   as in RFC 9162; an empty leaf is 32 zero bytes and an empty subtree of any height has the
 *   precomputed default hash of that height.
 * - A proof is compressed: a 256-bit bitmap saying which siblings are not empty (bit i for the
 *   sibling at depth i + 1, i.e. below the node at depth i) and those siblings, shallowest first.
 *
 * tools/salur-verify.js holds the same definitions, written again in plain JavaScript.
 */
export const MAP_DEPTH = 256;
const LEAF_PREFIX = 0x00;

/** DEFAULT_HASHES[d]: the hash of an empty subtree whose top is at depth d (256: an empty leaf). */
export const DEFAULT_HASHES: readonly Buffer[] = (() => {
  const hashes: Buffer[] = new Array<Buffer>(MAP_DEPTH + 1);
  hashes[MAP_DEPTH] = Buffer.alloc(HASH_BYTES);
  for (let depth = MAP_DEPTH - 1; depth >= 0; depth--)
    hashes[depth] = hashChildren(hashes[depth + 1], hashes[depth + 1]);
  return hashes;
})();

export const EMPTY_MAP_ROOT: Buffer = DEFAULT_HASHES[0];

export interface StreamHead {
  readonly stream: string;
  readonly revision: number;
  readonly leafIndex: number;
}

export const mapKeyOf = (stream: string): Buffer => createHash('sha256').update(stream, 'utf8').digest();

export function mapValueOf(head: StreamHead): Buffer {
  const text = canonicalize({ stream: head.stream, revision: head.revision, leafIndex: head.leafIndex });
  return createHash('sha256').update(text, 'utf8').digest();
}

export function mapLeafHash(key: Uint8Array, value: Uint8Array): Buffer {
  return createHash('sha256').update(Uint8Array.of(LEAF_PREFIX)).update(key).update(value).digest();
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
  return MAP_DEPTH;
}

/**
 * A present entry: its key and leaf hash, and optionally the hash of its chain (the subtree
 * holding only this key) at some depth, so that 256 − depth hashes need not be redone.
 */
export interface MapEntry {
  readonly key: Buffer;
  readonly leafHash: Buffer;
  readonly chain?: { readonly depth: number; readonly hash: Buffer };
}

/** The hash at `depth` of the subtree that holds only this entry. */
export function chainHash(entry: MapEntry, depth: number): Buffer {
  let from = MAP_DEPTH;
  let hash = entry.leafHash;
  if (entry.chain && entry.chain.depth >= depth) ({ depth: from, hash } = entry.chain);
  for (let d = from; d > depth; d--) {
    hash =
      bitOf(entry.key, d - 1) === 0 ? hashChildren(hash, DEFAULT_HASHES[d]) : hashChildren(DEFAULT_HASHES[d], hash);
  }
  return hash;
}

/** The hash at `depth` of the subtree holding `entries` (sorted by key, all under one prefix of `depth` bits). */
export function subtreeHash(depth: number, entries: readonly MapEntry[]): Buffer {
  if (entries.length === 0) return DEFAULT_HASHES[depth];
  if (entries.length === 1) return chainHash(entries[0], depth);
  const split = splitAt(entries, depth);
  return hashChildren(subtreeHash(depth + 1, entries.slice(0, split)), subtreeHash(depth + 1, entries.slice(split)));
}

/** Index of the first entry whose bit `depth` is 1 (entries sorted by key). */
function splitAt(entries: readonly MapEntry[], depth: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (bitOf(entries[middle].key, depth) === 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Siblings of `key`'s path below `depth` (depths depth + 1 … 256, shallowest first), from the
 * entries of the subtree at `depth` that holds the key; the key must be among them.
 */
export function siblingsBelow(depth: number, entries: readonly MapEntry[], key: Buffer): Buffer[] {
  const siblings: Buffer[] = [];
  let scope = entries;
  for (let d = depth; d < MAP_DEPTH; d++) {
    if (scope.length <= 1) {
      siblings.push(DEFAULT_HASHES[d + 1]);
      continue;
    }
    const split = splitAt(scope, d);
    const [mine, other] =
      bitOf(key, d) === 0 ? [scope.slice(0, split), scope.slice(split)] : [scope.slice(split), scope.slice(0, split)];
    siblings.push(subtreeHash(d + 1, other));
    scope = mine;
  }
  return siblings;
}

export interface MapProof {
  /** Base64 of 32 bytes: bit i set when the sibling at depth i + 1 is not empty. */
  readonly bitmap: string;
  /** Base64 of the non-empty siblings, shallowest first. */
  readonly siblings: readonly string[];
}

/** Compresses the 256 siblings (depth 1 first) into a bitmap and the non-default ones. */
export function compressMapProof(siblings: readonly Buffer[]): MapProof {
  if (siblings.length !== MAP_DEPTH) throw new RangeError(`a map proof has ${MAP_DEPTH} siblings`);
  const bitmap = Buffer.alloc(MAP_DEPTH / 8);
  const kept: string[] = [];
  siblings.forEach((sibling, i) => {
    if (sibling.equals(DEFAULT_HASHES[i + 1])) return;
    bitmap[i >> 3] |= 0x80 >> (i & 7);
    kept.push(sibling.toString('base64'));
  });
  return { bitmap: bitmap.toString('base64'), siblings: kept };
}

export class MapProofError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MapProofError';
  }
}

/** The map root a proof leads to for this head; throws MapProofError when the proof is malformed. */
export function mapRootFromProof(head: StreamHead, proof: MapProof): Buffer {
  const bitmap = strictBase64(proof.bitmap, 'the bitmap');
  if (bitmap.length !== MAP_DEPTH / 8) throw new MapProofError(`the bitmap has ${bitmap.length} bytes, not 32`);
  const siblings = proof.siblings.map((text, i) => strictBase64(text, `sibling ${i}`));
  siblings.forEach((sibling, i) => {
    if (sibling.length !== HASH_BYTES) throw new MapProofError(`sibling ${i} has ${sibling.length} bytes, not 32`);
  });
  const set = Array.from({ length: MAP_DEPTH }, (_, i) => bitOf(bitmap, i) === 1);
  const expected = set.filter(Boolean).length;
  if (expected !== siblings.length)
    throw new MapProofError(`the bitmap names ${expected} siblings; the proof has ${siblings.length}`);
  const key = mapKeyOf(head.stream);
  let hash = mapLeafHash(key, mapValueOf(head));
  let next = siblings.length - 1;
  for (let depth = MAP_DEPTH; depth >= 1; depth--) {
    const sibling = set[depth - 1] ? siblings[next--] : DEFAULT_HASHES[depth];
    if (set[depth - 1] && sibling.equals(DEFAULT_HASHES[depth]))
      throw new MapProofError(`the sibling at depth ${depth} is the empty subtree's hash: the proof is not compressed`);
    hash = bitOf(key, depth - 1) === 0 ? hashChildren(hash, sibling) : hashChildren(sibling, hash);
  }
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

function strictBase64(text: unknown, what: string): Buffer {
  const bytes = Buffer.from(String(text), 'base64');
  if (typeof text !== 'string' || bytes.toString('base64') !== text)
    throw new MapProofError(`${what} is not canonical base64`);
  return bytes;
}
