import { createHash } from 'node:crypto';
import {
  commonPrefixBits,
  EMPTY_MAP_ROOT,
  EMPTY_SUBTREE,
  joinSubtrees,
  MapEntry,
  mapKeyOf,
  mapLeafHash,
  MapProof,
  mapProofOf,
  mapRootFromProof,
  mapValueOf,
  siblingsBelow,
  StreamHead,
  subtreeHash,
  verifyMapProof,
} from './stream-head-map';

const entryOf = (head: StreamHead): MapEntry => ({
  key: mapKeyOf(head.stream),
  leafHash: mapLeafHash(mapKeyOf(head.stream), mapValueOf(head)),
});
const byKey = (left: MapEntry, right: MapEntry) => Buffer.compare(left.key, right.key);

/** A map held in memory: its root and proofs, the way the store computes them. */
function mapOf(heads: readonly StreamHead[]) {
  const entries = heads.map(entryOf).sort(byKey);
  return {
    root: subtreeHash(0, entries),
    proof: (stream: string): MapProof => mapProofOf(siblingsBelow(0, entries, mapKeyOf(stream))),
  };
}

/** The definition read literally, with its own hashing: the implementation must agree with it. */
function referenceRoot(entries: readonly MapEntry[], depth = 0): Buffer {
  if (entries.length === 0) return Buffer.alloc(32);
  if (entries.length === 1) return entries[0].leafHash;
  const bit = (entry: MapEntry) => (entry.key[depth >> 3] >> (7 - (depth & 7))) & 1;
  const left = referenceRoot(
    entries.filter((entry) => bit(entry) === 0),
    depth + 1,
  );
  const right = referenceRoot(
    entries.filter((entry) => bit(entry) === 1),
    depth + 1,
  );
  return createHash('sha256').update(Uint8Array.of(1)).update(left).update(right).digest();
}

/** 1 + the longest prefix the key shares with another: where the definition puts its leaf. */
const leafDepth = (key: Buffer, keys: readonly Buffer[]) =>
  keys.length === 1
    ? 0
    : 1 + Math.max(...keys.filter((other) => !other.equals(key)).map((o) => commonPrefixBits(o, key)));

const head = (stream: string, revision: number, leafIndex: number): StreamHead => ({ stream, revision, leafIndex });
const heads = Array.from({ length: 40 }, (_, i) => head(`payment-${i}`, i % 7, 100 + i));

/** Two stream names whose keys share the longest prefix among 2^16 names (~32 bits): found, not assumed. */
const closePair = (() => {
  const names = Array.from({ length: 1 << 16 }, (_, i) => `payment-close-${i}`)
    .map((stream) => ({ stream, key: mapKeyOf(stream) }))
    .sort((left, right) => Buffer.compare(left.key, right.key));
  let best = { shared: -1, left: names[0].stream, right: names[1].stream };
  for (let i = 1; i < names.length; i++) {
    const shared = commonPrefixBits(names[i - 1].key, names[i].key);
    if (shared > best.shared) best = { shared, left: names[i - 1].stream, right: names[i].stream };
  }
  return best;
})();

describe('the stream-head map (compact sparse Merkle tree)', () => {
  it('hashes a key, a value and a leaf as defined: SHA-256 of the name, of RFC 8785 JSON, and of 0x00 ‖ key ‖ value', () => {
    const sha256 = (...parts: Uint8Array[]) =>
      parts.reduce((hash, part) => hash.update(part), createHash('sha256')).digest();
    const key = sha256(Buffer.from('payment-1', 'utf8'));
    const value = sha256(Buffer.from('{"leafIndex":12,"revision":3,"stream":"payment-1"}', 'utf8'));
    expect(mapKeyOf('payment-1')).toEqual(key);
    expect(mapValueOf(head('payment-1', 3, 12))).toEqual(value);
    expect(mapLeafHash(key, value)).toEqual(sha256(Uint8Array.of(0), key, value));
  });

  it('the empty map has the empty hash (32 zero bytes) as its root and proves nothing', () => {
    expect(mapOf([]).root.equals(Buffer.alloc(32))).toBe(true);
    expect(EMPTY_MAP_ROOT.equals(Buffer.alloc(32))).toBe(true);
    expect(() => mapOf([]).proof(heads[0].stream)).toThrow(/not among the entries/);
    // Another key's leaf where the absent key would be: that is no proof of it.
    expect(() => mapOf([heads[0]]).proof('payment-absent')).toThrow(/not among the entries/);
    expect(() => verifyMapProof(heads[0], { depth: 0, siblings: [] }, EMPTY_MAP_ROOT)).toThrow(
      /does not lead to the signed map root/,
    );
  });

  it('a map of one stream has that leaf as its root, proven by no sibling at depth 0', () => {
    const single = mapOf([heads[0]]);
    expect(single.root.equals(entryOf(heads[0]).leafHash)).toBe(true);
    expect(single.proof(heads[0].stream)).toEqual({ depth: 0, siblings: [] });
    expect(() => verifyMapProof(heads[0], single.proof(heads[0].stream), single.root)).not.toThrow();
  });

  it('agrees with the definition read literally, and puts each leaf one bit below its longest shared prefix', () => {
    const entries = heads.map(entryOf).sort(byKey);
    const map = mapOf(heads);
    expect(map.root.equals(referenceRoot(entries))).toBe(true);
    const keys = entries.map((entry) => entry.key);
    for (const entry of heads) {
      const proof = map.proof(entry.stream);
      expect(proof.depth).toBe(leafDepth(mapKeyOf(entry.stream), keys));
      expect(proof.siblings).toHaveLength(proof.depth);
      expect(() => verifyMapProof(entry, proof, map.root)).not.toThrow();
    }
    // ~log₂ 40 + 2, not 256: what makes an update cheap.
    expect(Math.max(...heads.map((entry) => map.proof(entry.stream).depth))).toBeLessThan(16);
  });

  it('two keys sharing a long prefix: their leaves sit one bit below it, above a path of empty siblings', () => {
    expect(closePair.shared).toBeGreaterThanOrEqual(24);
    const [left, right] = [head(closePair.left, 3, 7), head(closePair.right, 0, 9)];
    const pair = mapOf([left, right]);
    const proof = pair.proof(left.stream);
    expect(proof.depth).toBe(closePair.shared + 1);
    // Deepest first: the other leaf, then only empty subtrees up to the root.
    expect(proof.siblings[0]).toBe(entryOf(right).leafHash.toString('base64'));
    expect(proof.siblings.slice(1).every((sibling) => sibling === Buffer.alloc(32).toString('base64'))).toBe(true);
    expect(() => verifyMapProof(left, proof, pair.root)).not.toThrow();
    expect(() => verifyMapProof(right, pair.proof(right.stream), pair.root)).not.toThrow();
    expect(pair.root.equals(referenceRoot([entryOf(left), entryOf(right)].sort(byKey)))).toBe(true);

    const crowd = mapOf([left, right, ...heads]);
    expect(crowd.root.equals(referenceRoot([left, right, ...heads].map(entryOf).sort(byKey)))).toBe(true);
    expect(crowd.proof(right.stream).depth).toBe(closePair.shared + 1);
    for (const entry of [left, right, ...heads])
      expect(() => verifyMapProof(entry, crowd.proof(entry.stream), crowd.root)).not.toThrow();
  });

  it('keys that differ only in the last bit sit at depth 256; one key listed twice is a bug', () => {
    const zero = { key: Buffer.alloc(32), leafHash: Buffer.alloc(32, 1) };
    const one = { key: Buffer.alloc(32), leafHash: Buffer.alloc(32, 2) };
    one.key[31] = 1;
    expect(siblingsBelow(0, [zero, one], zero.key)).toHaveLength(256);
    expect(subtreeHash(0, [zero, one]).equals(referenceRoot([zero, one]))).toBe(true);
    expect(() => subtreeHash(0, [zero, { ...zero }])).toThrow(/one key twice/);
  });

  it('joins subtrees as the definition says: a lone leaf rises, two make a node', () => {
    const leaf = { hash: Buffer.alloc(32, 5), leaves: 1 };
    const node = { hash: Buffer.alloc(32, 6), leaves: 3 };
    expect(joinSubtrees(EMPTY_SUBTREE, EMPTY_SUBTREE)).toBe(EMPTY_SUBTREE);
    expect(joinSubtrees(EMPTY_SUBTREE, leaf)).toBe(leaf);
    expect(joinSubtrees(leaf, EMPTY_SUBTREE)).toBe(leaf);
    const nodeOverEmpty = joinSubtrees(node, EMPTY_SUBTREE);
    expect(nodeOverEmpty.leaves).toBe(3);
    expect(nodeOverEmpty.hash.equals(referenceRoot([]))).toBe(false);
    expect(joinSubtrees(leaf, leaf)).toEqual({
      hash: createHash('sha256').update(Uint8Array.of(1)).update(leaf.hash).update(leaf.hash).digest(),
      leaves: 2,
    });
  });

  it('an update changes the root and the old head no longer verifies; an insert changes it too', () => {
    const before = mapOf(heads);
    const updated = heads.map((entry, i) => (i === 3 ? head(entry.stream, entry.revision + 1, 999) : entry));
    const after = mapOf(updated);
    expect(after.root.equals(before.root)).toBe(false);
    expect(() => verifyMapProof(updated[3], after.proof(updated[3].stream), after.root)).not.toThrow();
    expect(() => verifyMapProof(heads[3], after.proof(heads[3].stream), after.root)).toThrow(
      /does not lead to the signed map root/,
    );
    expect(mapOf([...heads, head('batch-x', 0, 5)]).root.equals(before.root)).toBe(false);
  });

  it('refuses a wrong value (revision or leaf), a wrong key (another stream) and a proof from another root', () => {
    const map = mapOf(heads);
    const proof = map.proof(heads[5].stream);
    expect(() => verifyMapProof({ ...heads[5], revision: heads[5].revision + 1 }, proof, map.root)).toThrow(
      /does not lead to the signed map root/,
    );
    expect(() => verifyMapProof({ ...heads[5], leafIndex: 1 }, proof, map.root)).toThrow(/does not lead/);
    expect(() => verifyMapProof({ ...heads[5], stream: heads[6].stream }, proof, map.root)).toThrow(/does not lead/);
    expect(() => verifyMapProof(heads[6], proof, map.root)).toThrow(/does not lead/);
    // Another map that holds this very head: its proof is valid there, not here.
    const other = mapOf([...heads.slice(0, 20), head('batch-y', 1, 50)]);
    expect(() => verifyMapProof(heads[5], other.proof(heads[5].stream), other.root)).not.toThrow();
    expect(() => verifyMapProof(heads[5], other.proof(heads[5].stream), map.root)).toThrow(/does not lead/);
  });

  it('refuses a tampered sibling, a depth that is not the sibling count, and malformed siblings', () => {
    const map = mapOf(heads);
    const proof = map.proof(heads[9].stream);
    const flipped = Buffer.from(proof.siblings[0], 'base64');
    flipped[0] ^= 1;
    const tampered = { ...proof, siblings: [flipped.toString('base64'), ...proof.siblings.slice(1)] };
    expect(() => verifyMapProof(heads[9], tampered, map.root)).toThrow(/does not lead/);
    // Dropping the deepest sibling claims the leaf sits one level higher: another root.
    const shortened = { depth: proof.depth - 1, siblings: proof.siblings.slice(1) };
    expect(() => verifyMapProof(heads[9], shortened, map.root)).toThrow(/does not lead/);
    expect(() => mapRootFromProof(heads[9], { ...proof, siblings: proof.siblings.slice(1) })).toThrow(
      /depth \d+ but \d+ siblings/,
    );
    expect(() => mapRootFromProof(heads[9], { depth: 257, siblings: [] })).toThrow(/whole number from 0 to 256/);
    expect(() => mapRootFromProof(heads[9], { depth: -1, siblings: [] })).toThrow(/whole number/);
    expect(() => mapRootFromProof(heads[9], { depth: 1.5, siblings: [] })).toThrow(/whole number/);
    expect(() => mapRootFromProof(heads[9], { depth: 1, siblings: [Buffer.alloc(31).toString('base64')] })).toThrow(
      /31 bytes, not 32/,
    );
    expect(() => mapRootFromProof(heads[9], { depth: 1, siblings: ['AAAA=='] })).toThrow(/not canonical base64/);
    expect(() => mapRootFromProof(heads[9], { bitmap: 'x', siblings: [] } as unknown as MapProof)).toThrow(
      /whole number/,
    );
  });
});
