import {
  consistencyRanges,
  EMPTY_ROOT,
  frontierOf,
  hashLeaf,
  HashedNode,
  hashOfRange,
  inclusionRanges,
  largestPowerOfTwoAtMost,
  NodeId,
  nodeKey,
  nodesOfRanges,
  rootOfLeafHashes,
} from './merkle';
import { MerkleAppender } from './merkle-appender';
import { ProofVerificationError, verifyConsistency, verifyInclusion } from './verify-proofs';

/**
 * The reference tree of RFC 6962 implementations (certificate-transparency-go, transparency-dev
 * merkle): eight leaves and the published root of every prefix, and published proofs.
 */
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION: ReadonlyArray<{ index: number; size: number; path: string[] }> = [
  { index: 0, size: 1, path: [] },
  {
    index: 0,
    size: 8,
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    path: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, path: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    path: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];
const CONSISTENCY: ReadonlyArray<{ from: number; to: number; proof: string[] }> = [
  { from: 1, to: 1, proof: [] },
  {
    from: 1,
    to: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    from: 6,
    to: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    from: 2,
    to: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

const leafHashes = LEAVES.map((hex) => hashLeaf(Buffer.from(hex, 'hex')));
const hex = (buffers: readonly Buffer[]) => buffers.map((buffer) => buffer.toString('hex'));
const fromHex = (values: readonly string[]) => values.map((value) => Buffer.from(value, 'hex'));

/** A stored tree as the log keeps it: every complete subtree by (level, index). */
function storedTree(hashes: readonly Buffer[]): (node: NodeId) => Buffer {
  const nodes = new Map<string, Buffer>();
  const appender = MerkleAppender.empty();
  hashes.forEach((hash, index) => {
    nodes.set(nodeKey({ level: 0, index }), hash);
    for (const node of appender.append(hash)) nodes.set(nodeKey(node), node.hash);
  });
  return (node) => {
    const hash = nodes.get(nodeKey(node));
    if (!hash) throw new Error(`no node ${nodeKey(node)}`);
    return hash;
  };
}

describe('RFC 9162 hashing, against the RFC 6962 reference tree', () => {
  it('gives the published root of every prefix, from the leaves and from the appender', () => {
    const appender = MerkleAppender.empty();
    ROOTS.forEach((root, i) => {
      expect(rootOfLeafHashes(leafHashes.slice(0, i + 1)).toString('hex')).toBe(root);
      appender.append(leafHashes[i]);
      expect(appender.root().toString('hex')).toBe(root);
    });
  });

  it('gives SHA-256 of nothing for the empty tree', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(MerkleAppender.empty().root()).toEqual(EMPTY_ROOT);
  });

  it.each(INCLUSION)(
    'generates and verifies the published inclusion proof of leaf $index of $size',
    ({ index, size, path }) => {
      const lookup = storedTree(leafHashes.slice(0, size));
      const proof = inclusionRanges(index, size).map((range) => hashOfRange(range, lookup));
      expect(hex(proof)).toEqual(path);
      expect(() =>
        verifyInclusion(index, size, leafHashes[index], fromHex(path), Buffer.from(ROOTS[size - 1], 'hex')),
      ).not.toThrow();
    },
  );

  it.each(CONSISTENCY)('generates and verifies the published consistency proof $from → $to', ({ from, to, proof }) => {
    const lookup = storedTree(leafHashes.slice(0, to));
    const generated = consistencyRanges(from, to).map((range) => hashOfRange(range, lookup));
    expect(hex(generated)).toEqual(proof);
    expect(() =>
      verifyConsistency(
        from,
        to,
        fromHex(proof),
        Buffer.from(ROOTS[from - 1], 'hex'),
        Buffer.from(ROOTS[to - 1], 'hex'),
      ),
    ).not.toThrow();
  });
});

describe('proofs from stored subtrees', () => {
  const SIZE = 70;
  const hashes = Array.from({ length: SIZE }, (_, i) => hashLeaf(Buffer.from(`leaf ${i}`)));
  const lookup = storedTree(hashes);
  const roots = Array.from({ length: SIZE + 1 }, (_, n) => rootOfLeafHashes(hashes.slice(0, n)));

  it('verifies every inclusion proof of every tree up to 70 leaves, and fails for another leaf or size', () => {
    for (let size = 1; size <= SIZE; size++) {
      for (let index = 0; index < size; index++) {
        const proof = inclusionRanges(index, size).map((range) => hashOfRange(range, lookup));
        verifyInclusion(index, size, hashes[index], proof, roots[size]);
        const other = (index + 1) % size;
        if (other !== index)
          expect(() => verifyInclusion(other, size, hashes[index], proof, roots[size])).toThrow(ProofVerificationError);
      }
    }
  });

  it('verifies every consistency proof between sizes up to 70, and fails against a forked history', () => {
    const forked = [...hashes];
    forked[3] = hashLeaf(Buffer.from('rewritten'));
    for (let to = 1; to <= SIZE; to++) {
      for (let from = 1; from <= to; from++) {
        const proof = consistencyRanges(from, to).map((range) => hashOfRange(range, lookup));
        verifyConsistency(from, to, proof, roots[from], roots[to]);
        if (from > 3 && from < to) {
          expect(() => verifyConsistency(from, to, proof, rootOfLeafHashes(forked.slice(0, from)), roots[to])).toThrow(
            ProofVerificationError,
          );
        }
      }
    }
  });

  it('needs O(log n) stored nodes per proof, even at 2^40 leaves', () => {
    const size = 2 ** 40 + 12_345;
    expect(nodesOfRanges(inclusionRanges(size - 1, size)).length).toBeLessThanOrEqual(2 * 41);
    expect(nodesOfRanges(inclusionRanges(777, size)).length).toBeLessThanOrEqual(2 * 41);
    expect(nodesOfRanges(consistencyRanges(2 ** 39 + 5, size)).length).toBeLessThanOrEqual(2 * 41);
  });
});

describe('the appender', () => {
  it('stores exactly the complete subtrees, and can resume from its frontier', () => {
    const hashes = Array.from({ length: 37 }, (_, i) => hashLeaf(Buffer.from([i])));
    const first = MerkleAppender.empty();
    const completed: HashedNode[] = [];
    hashes.slice(0, 20).forEach((hash) => completed.push(...first.append(hash)));
    expect(first.frontier.map(nodeKey)).toEqual(frontierOf(20).map(nodeKey));
    const resumed = new MerkleAppender(20, first.frontier);
    hashes.slice(20).forEach((hash) => completed.push(...resumed.append(hash)));
    expect(resumed.root()).toEqual(rootOfLeafHashes(hashes));
    // Level ≥ 1 complete subtrees of 37 leaves: 18 + 9 + 4 + 2 + 1.
    expect(completed).toHaveLength(34);
    expect(() => new MerkleAppender(20, first.frontier.slice(1))).toThrow(/ends in subtrees/);
  });

  it('finds the largest power of two exactly near 2^53', () => {
    expect(largestPowerOfTwoAtMost(2 ** 53 - 1)).toBe(2 ** 52);
    expect(largestPowerOfTwoAtMost(2 ** 52)).toBe(2 ** 52);
    expect(largestPowerOfTwoAtMost(1)).toBe(1);
  });
});
