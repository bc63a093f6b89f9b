import { canonicalize } from './jcs';
import type { BatchLineProof } from './batch-line-evidence';
import type { LeafRecord } from './leaf';
import type { PaymentSummary } from './payment-evidence';
import type { MapProof } from './stream-head-map';

/**
 * The proof document an inspector downloads and checks offline with tools/salur-verify.js.
 * Everything in it is either signed (the checkpoint), hashed into the signed root (the leaf
 * bytes, through their inclusion paths), or recomputed by the verifier from those bytes (each
 * payment's summary); nothing needs to be taken on trust.
 */
export const PROOF_FORMAT = 'salur-proof/v2';
/** The first format: no stream heads, no approval policies, no beneficiary records, checkpoints without extension lines. */
export const PROOF_FORMAT_V1 = 'salur-proof/v1';

export type ProofKind = 'payment' | 'beneficiary' | 'batch';

export interface ProofEvent {
  readonly leafIndex: number;
  /** Repeated from the leaf for people reading the file; the verifier checks it against the bytes. */
  readonly type: string;
  /** Base64 of the exact bytes that were hashed. */
  readonly leafBytes: string;
  /** Base64 hashes from the leaf's sibling upwards, against the checkpoint's size (RFC 9162 2.1.3). */
  readonly inclusionPath: readonly string[];
}

export interface PaymentProof {
  readonly paymentId: string;
  /**
   * The payment's history in log order: its own events, the events of the batches it was sent in
   * and, in v2, its beneficiary's stream (whose accounts the payment's must match).
   */
  readonly leafIndexes: readonly number[];
  /**
   * The payment's line in each version (BatchCreated, BatchChanged) of its salur-batch/v2 batches
   * that holds it, with its inclusion path: those leaves keep only the lines' root, count and total.
   * Absent when none of its batches is v2.
   */
  readonly batchLines?: readonly BatchLineProof[];
  /** Null when the history fails the chain rules: `chainError` says why, and the verifier will too. */
  readonly summary: PaymentSummary | null;
  readonly chainError?: string;
}

export interface ConsistencyProofDocument {
  readonly fromSize: number;
  readonly toSize: number;
  readonly proof: readonly string[];
}

/** Where a stream ends at the checkpoint, proven by the signed stream-head map (v2). */
export interface StreamHeadProof {
  readonly stream: string;
  readonly revision: number;
  readonly leafIndex: number;
  readonly mapProof: MapProof;
}

export interface ProofDocument {
  readonly format: typeof PROOF_FORMAT | typeof PROOF_FORMAT_V1;
  readonly kind: ProofKind;
  readonly paymentId?: string;
  readonly beneficiaryId?: string;
  readonly batchId?: string;
  /** The signed checkpoint (C2SP tlog-checkpoint), with any witness cosignatures. */
  readonly checkpoint: string;
  /**
   * Each leaf once, ascending; payments refer to them by index. In v2 also the approval policies
   * (ApprovalPolicyDeclared) of the batches' programmes, which four eyes is checked against.
   */
  readonly events: readonly ProofEvent[];
  readonly payments: readonly PaymentProof[];
  /** v2: the head of every payment, batch and beneficiary stream in the document, against the checkpoint's map root. */
  readonly streams?: readonly StreamHeadProof[];
  /** From an earlier size the inspector named (`?since=`) to the checkpoint's size. */
  readonly consistency?: ConsistencyProofDocument;
}

export class LeafDecodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LeafDecodingError';
  }
}

/**
 * Reads a leaf's bytes back into its record. The bytes must be exactly the canonical form of
 * what they parse to: duplicate keys, other whitespace or escapes would let two readers see
 * different events behind one hash, so they are refused.
 */
export function decodeLeaf(bytes: Buffer): LeafRecord {
  const text = bytes.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LeafDecodingError('the leaf is not JSON');
  }
  let canonical: string;
  try {
    canonical = canonicalize(value, { integersOnly: true });
  } catch (error) {
    throw new LeafDecodingError(`the leaf is not loggable JSON: ${(error as Error).message}`);
  }
  if (!Buffer.from(canonical, 'utf8').equals(bytes))
    throw new LeafDecodingError('the leaf is not in RFC 8785 canonical form');
  const record = value as Record<string, unknown>;
  const fields: ReadonlyArray<[keyof LeafRecord, string]> = [
    ['id', 'string'],
    ['stream', 'string'],
    ['revision', 'number'],
    ['type', 'string'],
    ['data', 'object'],
    ['metadata', 'object'],
    ['recordedAt', 'string'],
  ];
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    throw new LeafDecodingError('the leaf is not an object');
  for (const [field, type] of fields) {
    if (typeof record[field] !== type || record[field] === null)
      throw new LeafDecodingError(`the leaf's ${field} is not a ${type}`);
  }
  if (Object.keys(record).length !== fields.length)
    throw new LeafDecodingError('the leaf has fields besides the event record');
  return record as unknown as LeafRecord;
}
