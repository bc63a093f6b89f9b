import { timingSafeEqual } from 'node:crypto';
import { HASH_BYTES, hashChildren } from './merkle';

/**
 * Verification of inclusion and consistency proofs (RFC 9162 sections 2.1.3.2 and 2.1.4.2), in
 * the bit-arithmetic form of transparency-dev/merkle's proof package. Every hash must be 32
 * bytes. A failure throws ProofVerificationError with the reason.
 */
export class ProofVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProofVerificationError';
  }
}

export function verifyInclusion(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  const computed = rootFromInclusionProof(index, size, leafHash, proof);
  assertSameRoot(computed, root, 'the inclusion proof');
}

export function rootFromInclusionProof(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Buffer {
  assertCount(index, 'leaf index');
  assertCount(size, 'tree size');
  if (index >= size) throw new ProofVerificationError(`leaf index ${index} is beyond the tree size ${size}`);
  assertHash(leafHash, 'leaf hash');
  proof.forEach((hash, i) => assertHash(hash, `proof hash ${i}`));
  const { inner, border } = decomposeInclusionProof(BigInt(index), BigInt(size));
  if (proof.length !== inner + border) {
    throw new ProofVerificationError(
      `the proof has ${proof.length} hashes; a leaf ${index} of ${size} needs ${inner + border}`,
    );
  }
  const seed = chainInner(Buffer.from(leafHash), proof.slice(0, inner), BigInt(index));
  return chainBorderRight(seed, proof.slice(inner));
}

export function verifyConsistency(
  oldSize: number,
  newSize: number,
  proof: readonly Uint8Array[],
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
): void {
  assertCount(oldSize, 'old size');
  assertCount(newSize, 'new size');
  if (newSize < oldSize)
    throw new ProofVerificationError(`the new size ${newSize} is smaller than the old size ${oldSize}`);
  if (oldSize === newSize) {
    if (proof.length > 0) throw new ProofVerificationError('the sizes are equal, so the proof must be empty');
    // An empty tree has one root; anything else claiming size 0 is wrong.
    if (oldSize === 0) throw new ProofVerificationError('a consistency proof between empty trees proves nothing');
    assertSameRoot(Buffer.from(oldRoot), newRoot, 'the old root');
    return;
  }
  if (oldSize === 0) {
    throw new ProofVerificationError('a consistency proof from the empty tree proves nothing (every log extends it)');
  }
  if (proof.length === 0) throw new ProofVerificationError('the proof is empty');
  proof.forEach((hash, i) => assertHash(hash, `proof hash ${i}`));
  assertHash(oldRoot, 'old root');
  assertHash(newRoot, 'new root');

  const size1 = BigInt(oldSize);
  const { inner: fullInner, border } = decomposeInclusionProof(size1 - 1n, BigInt(newSize));
  const shift = trailingZeros(size1);
  const inner = fullInner - shift;
  // The proof starts with the hash of the subtree of 2^shift leaves ending at leaf size1 − 1,
  // unless size1 is that power of two: then the old root is that hash.
  const oldIsPowerOfTwo = size1 === 1n << BigInt(shift);
  const seed = oldIsPowerOfTwo ? Buffer.from(oldRoot) : Buffer.from(proof[0]);
  const rest = oldIsPowerOfTwo ? proof : proof.slice(1);
  if (rest.length !== inner + border) {
    const expected = inner + border + (oldIsPowerOfTwo ? 0 : 1);
    throw new ProofVerificationError(
      `the proof has ${proof.length} hashes; ${oldSize} to ${newSize} needs ${expected}`,
    );
  }
  const mask = (size1 - 1n) >> BigInt(shift);
  const oldComputed = chainBorderRight(chainInnerRight(seed, rest.slice(0, inner), mask), rest.slice(inner));
  assertSameRoot(oldComputed, oldRoot, 'the old root');
  const newComputed = chainBorderRight(chainInner(seed, rest.slice(0, inner), mask), rest.slice(inner));
  assertSameRoot(newComputed, newRoot, 'the new root');
}

/** Where the paths to `index` and to the last leaf part: lengths of the lower and upper proof parts. */
function decomposeInclusionProof(index: bigint, size: bigint): { inner: number; border: number } {
  const inner = bitLength(index ^ (size - 1n));
  const border = popCount(index >> BigInt(inner));
  return { inner, border };
}

function chainInner(seed: Buffer, proof: readonly Uint8Array[], index: bigint): Buffer {
  let hash = seed;
  proof.forEach((sibling, i) => {
    hash = ((index >> BigInt(i)) & 1n) === 0n ? hashChildren(hash, sibling) : hashChildren(sibling, hash);
  });
  return hash;
}

function chainInnerRight(seed: Buffer, proof: readonly Uint8Array[], index: bigint): Buffer {
  let hash = seed;
  proof.forEach((sibling, i) => {
    if (((index >> BigInt(i)) & 1n) === 1n) hash = hashChildren(sibling, hash);
  });
  return hash;
}

function chainBorderRight(seed: Buffer, proof: readonly Uint8Array[]): Buffer {
  let hash = seed;
  for (const sibling of proof) hash = hashChildren(sibling, hash);
  return hash;
}

function bitLength(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length;
}

function popCount(value: bigint): number {
  let count = 0;
  for (const digit of value.toString(2)) if (digit === '1') count++;
  return count;
}

function trailingZeros(value: bigint): number {
  let count = 0;
  while (((value >> BigInt(count)) & 1n) === 0n) count++;
  return count;
}

function assertCount(value: number, what: string): void {
  if (!(Number.isSafeInteger(value) && value >= 0)) throw new ProofVerificationError(`${what} ${value} is not a count`);
}

function assertHash(hash: Uint8Array, what: string): void {
  if (hash.length !== HASH_BYTES) {
    throw new ProofVerificationError(`${what} has ${hash.length} bytes, not ${HASH_BYTES}`);
  }
}

function assertSameRoot(computed: Uint8Array, expected: Uint8Array, what: string): void {
  const same = computed.length === expected.length && timingSafeEqual(computed, expected);
  if (!same) {
    throw new ProofVerificationError(
      `${what} does not match: computed ${Buffer.from(computed).toString('base64')}, expected ${Buffer.from(expected).toString('base64')}`,
    );
  }
}
