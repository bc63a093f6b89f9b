import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  canonicalize,
  consistencyRanges,
  hashLeaf,
  hashOfRange,
  MerkleAppender,
  NodeId,
  nodeKey,
  openCheckpoint,
  parseSignedNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  verifyConsistency,
  verifyInclusion,
} from '@salur/audit-log';

/**
 * Conformance vectors copied from /work/shared/data/transparency-vectors (see vectors/README.md);
 * the JSON files carry a `.txt` suffix so that Prettier leaves their bytes alone.
 */
const VECTORS = join(__dirname, 'vectors');

function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const b64 = (value: string) => Buffer.from(value, 'base64');
const proofOf = (proof: string[] | null) => (proof ?? []).map(b64);
const outcome = (check: () => void): 'ok' | 'error' => {
  try {
    check();
    return 'ok';
  } catch {
    return 'error';
  }
};

describe('transparency-dev/merkle inclusion vectors (RFC 6962 / RFC 9162)', () => {
  interface InclusionVector {
    leafIdx: number;
    treeSize: number;
    root: string;
    leafHash: string;
    proof: string[] | null;
    desc: string;
    wantErr: boolean;
  }
  const cases = filesUnder(join(VECTORS, 'merkle/inclusion')).map((file) => {
    const vector = JSON.parse(readFileSync(file, 'utf8')) as InclusionVector;
    return { name: relative(VECTORS, file), vector };
  });

  it('has the vectors', () => expect(cases.length).toBeGreaterThan(80));

  it.each(cases)('$name', ({ vector }) => {
    const result = outcome(() =>
      verifyInclusion(vector.leafIdx, vector.treeSize, b64(vector.leafHash), proofOf(vector.proof), b64(vector.root)),
    );
    expect(result).toBe(vector.wantErr ? 'error' : 'ok');
  });
});

describe('transparency-dev/merkle consistency vectors (RFC 9162 section 2.1.4)', () => {
  interface ConsistencyVector {
    size1: number;
    size2: number;
    root1: string;
    root2: string;
    proof: string[] | null;
    desc: string;
    wantErr: boolean;
  }
  const cases = filesUnder(join(VECTORS, 'merkle/consistency')).map((file) => {
    const vector = JSON.parse(readFileSync(file, 'utf8')) as ConsistencyVector;
    return { name: relative(VECTORS, file), vector };
  });

  it('has the vectors', () => expect(cases.length).toBeGreaterThan(80));

  it.each(cases)('$name', ({ vector }) => {
    const result = outcome(() =>
      verifyConsistency(vector.size1, vector.size2, proofOf(vector.proof), b64(vector.root1), b64(vector.root2)),
    );
    expect(result).toBe(vector.wantErr ? 'error' : 'ok');
  });
});

describe('cyberphone/json-canonicalization vectors (RFC 8785)', () => {
  const names = readdirSync(join(VECTORS, 'jcs/input')).map((name) => name.replace(/\.txt$/, ''));

  it.each(names)('%s canonicalizes to the expected bytes', (name) => {
    const input: unknown = JSON.parse(readFileSync(join(VECTORS, 'jcs/input', `${name}.txt`), 'utf8'));
    const expected = readFileSync(join(VECTORS, 'jcs/output', `${name}.txt`));
    expect(Buffer.from(canonicalize(input), 'utf8').equals(expected)).toBe(true);
  });
});

describe("transparency-dev/tessera's signed test log (C2SP checkpoints, Ed25519)", () => {
  const LOG = join(VECTORS, 'tessera-log');
  const VKEY = 'example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx';
  const SIGNER_KEY = 'PRIVATE+KEY+example.com/log/testdata+33d7b496+AeymY/SZAX0jZcJ8enZ5FY1Dz+wTML2yWSkK+9DSF3eg';
  const sizes = Array.from({ length: 16 }, (_, size) => size);

  /** A tessera entry bundle: each entry is a big-endian uint16 length and that many bytes. */
  function entries(count: number): Buffer[] {
    if (count === 0) return [];
    const bundle = readFileSync(join(LOG, 'tile/entries/000.p', String(count)));
    const result: Buffer[] = [];
    for (let at = 0; at < bundle.length;) {
      const length = bundle.readUInt16BE(at);
      result.push(bundle.subarray(at + 2, at + 2 + length));
      at += 2 + length;
    }
    return result;
  }

  const leaves = entries(15);
  const appender = MerkleAppender.empty();
  const nodes = new Map<string, Buffer>();
  const roots = [appender.root()];
  leaves.forEach((leaf, index) => {
    const leafHash = hashLeaf(leaf);
    nodes.set(nodeKey({ level: 0, index }), leafHash);
    for (const node of appender.append(leafHash)) nodes.set(nodeKey(node), node.hash);
    roots.push(appender.root());
  });
  const lookup = (node: NodeId) => nodes.get(nodeKey(node)) as Buffer;
  const checkpointAt = (size: number) => readFileSync(join(LOG, `checkpoint.${size}`), 'utf8');

  it('holds the entries "one" … "fifteen"', () => {
    expect(leaves.map((leaf) => leaf.toString())).toEqual(expect.arrayContaining(['one', 'two', 'three']));
    expect(entries(7)).toEqual(leaves.slice(0, 7));
  });

  it.each(sizes)('checkpoint.%i verifies with the published key and has the root we compute', (size) => {
    const { checkpoint } = openCheckpoint(checkpointAt(size), parseVerifierKey(VKEY), 'example.com/log/testdata');
    expect(checkpoint.size).toBe(size);
    expect(checkpoint.rootHash).toEqual(roots[size]);
  });

  it.each(sizes)('signing checkpoint.%i with the published test key gives its signature, byte for byte', (size) => {
    const note = parseSignedNote(checkpointAt(size));
    expect(signNote(note.text, parseSignerKey(SIGNER_KEY)).line).toBe(note.signatures[0].line);
  });

  it('proves every later signed checkpoint consistent with every earlier one', () => {
    for (let to = 1; to <= 15; to++) {
      for (let from = 1; from <= to; from++) {
        const proof = consistencyRanges(from, to).map((range) => hashOfRange(range, lookup));
        verifyConsistency(from, to, proof, roots[from], roots[to]);
      }
    }
  });
});
