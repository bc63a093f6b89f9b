import { hashLeaf, MerkleAppender } from '../domain';
import { LogIntegrityError, MerkleLogStore, StoredLeaf } from './merkle-log.store';

/** Leaves read per query while re-hashing: memory stays at one page whatever the backlog. */
export const RECHECK_PAGE_LEAVES = 1_000;

/**
 * Before a checkpoint is signed: re-hashes the bytes of every leaf in [fromSize, toSize) and
 * checks that each gives its stored leaf hash, and that the tree they extend gives `root` (the
 * root about to be signed, folded from stored nodes) at `toSize`. The stored nodes and leaf
 * hashes are what proofs are served from, but the bytes are what an inspector hashes: a leaf
 * edited after it was appended must stop the signature, not be signed into a root that no proof
 * of its bytes reaches. The tree starts from the stored right edge at `fromSize`, which the
 * caller has checked against the checkpoint signed at that size, so the work is bounded by the
 * leaves added since.
 */
export async function assertLeafBytesGiveRoot(
  log: MerkleLogStore,
  fromSize: number,
  toSize: number,
  root: Buffer,
): Promise<void> {
  const tree = new MerkleAppender(fromSize, await log.frontier(fromSize));
  while (tree.size < toSize) {
    const page = await log.leavesFrom(tree.size, Math.min(RECHECK_PAGE_LEAVES, toSize - tree.size));
    if (page.length === 0 || page[0].leafIndex !== tree.size) throw missingLeaf(tree.size, toSize);
    for (const leaf of page) {
      if (leaf.leafIndex !== tree.size) throw missingLeaf(tree.size, toSize);
      const hash = hashLeaf(leaf.leafBytes);
      if (!hash.equals(leaf.leafHash)) throw alteredLeaf(leaf);
      tree.append(hash);
    }
  }
  const rebuilt = tree.root();
  if (!rebuilt.equals(root)) {
    throw new LogIntegrityError(
      `The audit log's leaves ${fromSize}..${toSize - 1}, hashed from their bytes, give the root ${rebuilt.toString('base64')} at size ${toSize}, ` +
        `not ${root.toString('base64')} as its stored nodes do: a node or a leaf hash was altered. Refusing to sign.`,
    );
  }
}

function alteredLeaf(leaf: StoredLeaf): LogIntegrityError {
  return new LogIntegrityError(
    `The audit log's leaf ${leaf.leafIndex} (event ${leaf.eventId}, ${leaf.stream} revision ${leaf.revision}): ` +
      'its bytes no longer hash to its stored leaf hash: it was altered after it was appended. Refusing to sign.',
  );
}

function missingLeaf(index: number, toSize: number): LogIntegrityError {
  return new LogIntegrityError(
    `The audit log holds ${toSize} leaves but leaf ${index} is not stored: its tables were truncated or altered. Refusing to sign.`,
  );
}
