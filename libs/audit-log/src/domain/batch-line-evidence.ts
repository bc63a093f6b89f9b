import {
  BATCH_CONTENT_FORMAT,
  batchContentHashV2,
  batchLinesRootFromPath,
  formatAmount,
  amountOf,
} from '@salur/kernel';
import { EvidenceChainError } from './evidence-chain';
import type { LeafRecord } from './leaf';

/*
 * A salur-batch/v2 batch in a payment proof (written again in tools/salur-verify.js): its leaves
 * hold the root, count and total of each version's lines, not the lines. The proof carries the
 * payment's own line and its inclusion path per version (BatchLineProof); from them the rule
 * recomputes the version's lines root, and from the header the content hash the approvals must
 * name. What it cannot show: that the other lines sum to the total. The full-log checker can,
 * and the approvers saw the lines.
 */

/** This payment's line in one version of a v2 batch, as a proof document carries it. */
export interface BatchLineProof {
  /** The version's leaf: BatchCreated, or a BatchChanged. */
  readonly leafIndex: number;
  /** `[paymentId, beneficiaryId, amount, bankCode, beneficiaryRevision]`. */
  readonly line: readonly unknown[];
  /** Its position among the version's lines, sorted by paymentId. */
  readonly index: number;
  /** Hex hashes from the line's sibling upwards (RFC 9162 2.1.3), in a tree of the version's count. */
  readonly inclusionPath: readonly string[];
}

/** One version of a v2 batch's lines, from its leaf. */
export interface LinesVersion {
  readonly leafIndex: number;
  readonly linesRoot: string;
  readonly count: number;
  readonly total: string;
  /** Recomputed from the header: what the approvals must name. */
  readonly contentHash: string;
  /** Why the recorded content hash is not the recomputed one; null when it is. */
  readonly hashFinding: string | null;
}

/** The line of this payment the version is proven to hold: what the bank file instructs. */
export interface ProvenLine {
  readonly paymentId: string;
  readonly beneficiaryId: string;
  readonly amount: string;
  readonly bankCode: string;
  readonly beneficiaryRevision: number;
}

const HEX_ROOT = /^[0-9a-f]{64}$/;
const AMOUNT = /^(0|[1-9][0-9]{0,14})(\.[0-9]{1,2})?$/;

/** A BatchCreated leaf whose lines are summarised (salur-batch/v2). */
export function isV2BatchLeaf(record: LeafRecord): boolean {
  return record.data.contentFormat === BATCH_CONTENT_FORMAT;
}

/** The version a v2 BatchCreated or BatchChanged leaf states; `header` gives the batch's round. */
export function linesVersionOf(
  leafIndex: number,
  record: LeafRecord,
  header: { readonly batchId: string; readonly programmeId: string; readonly period: string },
): LinesVersion {
  const { data } = record;
  const summary =
    record.type === 'BatchCreated'
      ? (data.payments as Record<string, unknown> | null)
      : { linesRoot: data.linesRoot, count: data.count, total: data.controlSum };
  if (typeof summary !== 'object' || summary === null || Array.isArray(summary))
    throw new EvidenceChainError(`leaf ${leafIndex}: a salur-batch/v2 ${record.type} holds no lines summary`);
  const { linesRoot, count, total } = summary;
  if (typeof linesRoot !== 'string' || !HEX_ROOT.test(linesRoot))
    throw new EvidenceChainError(`leaf ${leafIndex}: linesRoot is not a SHA-256 in hex`);
  if (!Number.isSafeInteger(count) || (count as number) < 1)
    throw new EvidenceChainError(`leaf ${leafIndex}: the lines' count is not a positive integer`);
  if (typeof total !== 'string' || !AMOUNT.test(total))
    throw new EvidenceChainError(`leaf ${leafIndex}: the lines' total is not an amount`);
  const canonicalTotal = formatAmount(amountOf(total));
  const contentHash = batchContentHashV2({ ...header, count: count as number, total: canonicalTotal, linesRoot });
  const hashFinding =
    data.contentHash === contentHash
      ? null
      : `the content hash at leaf ${leafIndex} (${String(data.contentHash)}) is not the hash of its lines root, count ${String(count)} and total ${canonicalTotal} (${contentHash})`;
  return { leafIndex, linesRoot, count: count as number, total: canonicalTotal, contentHash, hashFinding };
}

/**
 * The payment's line in `version`, proven by its inclusion path; null when the proof carries none
 * for the version. A line whose path does not lead to the version's root, or that is another
 * payment's, is refused (`line-not-in-batch`): the document does not show what it claims.
 */
export function provenLineOf(
  paymentId: string,
  version: LinesVersion,
  proofs: readonly BatchLineProof[],
): ProvenLine | null {
  const proof = proofs.find((candidate) => candidate.leafIndex === version.leafIndex);
  if (!proof) return null;
  const refuse = (why: string) =>
    new EvidenceChainError(
      `line-not-in-batch: the line given for the batch version at leaf ${version.leafIndex} ${why}`,
    );
  const line = proof.line;
  if (
    !Array.isArray(line) ||
    line.length !== 5 ||
    typeof line[0] !== 'string' ||
    typeof line[1] !== 'string' ||
    typeof line[2] !== 'string' ||
    !AMOUNT.test(line[2]) ||
    typeof line[3] !== 'string' ||
    !Number.isSafeInteger(line[4])
  )
    throw refuse('is not [paymentId, beneficiaryId, amount, bankCode, beneficiaryRevision]');
  if (line[0] !== paymentId) throw refuse(`is payment ${String(line[0])}'s, not ${paymentId}'s`);
  const path = Array.isArray(proof.inclusionPath) ? proof.inclusionPath : [];
  const root = batchLinesRootFromPath(line, proof.index, version.count, path);
  if (root !== version.linesRoot)
    throw refuse(`does not lead, with its inclusion path, to the version's lines root ${version.linesRoot}`);
  return {
    paymentId: line[0],
    beneficiaryId: line[1] as string,
    amount: formatAmount(amountOf(line[2] as string)),
    bankCode: line[3] as string,
    beneficiaryRevision: line[4] as number,
  };
}

/**
 * The proven line must be the one the payment's claim in that batch made (PaymentBatched): its
 * beneficiary, the bank code of the account it claimed, and the record revision that account was
 * read at, which account binding checks against the beneficiary's stream.
 */
export function lineClaimFindings(
  line: ProvenLine,
  version: LinesVersion,
  beneficiaryId: unknown,
  claim: { readonly leafIndex: number; readonly record: LeafRecord } | undefined,
): string[] {
  const findings: string[] = [];
  const at = `the line in the batch version at leaf ${version.leafIndex}`;
  if (line.beneficiaryId !== beneficiaryId)
    findings.push(`${at} names beneficiary ${line.beneficiaryId}, not the payment's ${String(beneficiaryId)}`);
  if (!claim) return [...findings, `${at} has no claim (PaymentBatched) of the payment in that batch`];
  const revision = claim.record.data.beneficiaryRevision;
  if (line.beneficiaryRevision !== revision) {
    findings.push(
      `${at} binds the account of the beneficiary's record at revision ${line.beneficiaryRevision}; the claim at leaf ${claim.leafIndex} read revision ${String(revision)}`,
    );
  }
  const account = claim.record.data.account as { bankCode?: unknown } | undefined;
  if (line.bankCode !== account?.bankCode) {
    findings.push(
      `${at} names bank ${line.bankCode}; the claim at leaf ${claim.leafIndex} names ${String(account?.bankCode)}`,
    );
  }
  return findings;
}
