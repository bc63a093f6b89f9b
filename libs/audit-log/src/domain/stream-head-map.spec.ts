import {
  compressMapProof,
  DEFAULT_HASHES,
  EMPTY_MAP_ROOT,
  MapEntry,
  mapKeyOf,
  mapLeafHash,
  MapProof,
  mapRootFromProof,
  mapValueOf,
  siblingsBelow,
  StreamHead,
  subtreeHash,
  verifyMapProof,
} from './stream-head-map';

/** A map held in memory: its root and proofs, the way the store computes them. */
function mapOf(heads: readonly StreamHead[]) {
  const entries: MapEntry[] = heads
    .map((head) => ({ key: mapKeyOf(head.stream), leafHash: mapLeafHash(mapKeyOf(head.stream), mapValueOf(head)) }))
    .sort((left, right) => Buffer.compare(left.key, right.key));
  return {
    root: subtreeHash(0, entries),
    proof: (stream: string): MapProof => compressMapProof(siblingsBelow(0, entries, mapKeyOf(stream))),
  };
}

const head = (stream: string, revision: number, leafIndex: number): StreamHead => ({ stream, revision, leafIndex });
const heads = Array.from({ length: 40 }, (_, i) => head(`payment-${i}`, i % 7, 100 + i));

describe('the stream-head map (sparse Merkle tree)', () => {
  it('the empty map has the default root of depth 0', () => {
    expect(mapOf([]).root.equals(EMPTY_MAP_ROOT)).toBe(true);
    expect(EMPTY_MAP_ROOT.equals(DEFAULT_HASHES[0])).toBe(true);
  });

  it('proves every present head against the root, with one non-empty sibling per shared level only', () => {
    const map = mapOf(heads);
    for (const entry of heads) expect(() => verifyMapProof(entry, map.proof(entry.stream), map.root)).not.toThrow();
    const single = mapOf([heads[0]]);
    expect(single.proof(heads[0].stream).siblings).toEqual([]);
    expect(() => verifyMapProof(heads[0], single.proof(heads[0].stream), single.root)).not.toThrow();
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

  it('refuses a wrong value (revision or leaf) and a wrong key (another stream)', () => {
    const map = mapOf(heads);
    const proof = map.proof(heads[5].stream);
    expect(() => verifyMapProof({ ...heads[5], revision: heads[5].revision + 1 }, proof, map.root)).toThrow(
      /does not lead to the signed map root/,
    );
    expect(() => verifyMapProof({ ...heads[5], leafIndex: 1 }, proof, map.root)).toThrow(/does not lead/);
    expect(() => verifyMapProof({ ...heads[5], stream: heads[6].stream }, proof, map.root)).toThrow(/does not lead/);
  });

  it('refuses a tampered sibling, a sibling too many or too few, and an uncompressed empty sibling', () => {
    const map = mapOf(heads);
    const proof = map.proof(heads[9].stream);
    const flipped = Buffer.from(proof.siblings[0], 'base64');
    flipped[0] ^= 1;
    const tampered = { ...proof, siblings: [flipped.toString('base64'), ...proof.siblings.slice(1)] };
    expect(() => verifyMapProof(heads[9], tampered, map.root)).toThrow(/does not lead/);
    expect(() => mapRootFromProof(heads[9], { ...proof, siblings: proof.siblings.slice(1) })).toThrow(
      /the bitmap names \d+ siblings; the proof has \d+/,
    );
    const bitmap = Buffer.from(proof.bitmap, 'base64');
    const lastSet = Buffer.from(bitmap);
    lastSet[31] |= 1; // depth 256 named as non-empty, given as the empty leaf
    expect(() =>
      mapRootFromProof(heads[9], {
        bitmap: lastSet.toString('base64'),
        siblings: [...proof.siblings, DEFAULT_HASHES[256].toString('base64')],
      }),
    ).toThrow(/not compressed/);
  });
});
