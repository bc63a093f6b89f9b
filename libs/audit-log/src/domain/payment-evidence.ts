import { amountOf, formatAmount, sumAmounts } from '@salur/kernel';
import { accountBindingFindings, beneficiaryStreamOf } from './account-binding';
import {
  BatchLineProof,
  isV2BatchLeaf,
  lineClaimFindings,
  LinesVersion,
  linesVersionOf,
  ProvenLine,
  provenLineOf,
} from './batch-line-evidence';
import { assertGapless, EvidenceChainError } from './evidence-chain';
import { approvalFindings, ApproverRecord, BatchApproval, BatchVersion } from './four-eyes';
import type { LeafRecord, LoggedEvent } from './leaf';

/**
 * The "full amount, no deductions" rule over a payment's logged history. The same rules are
 * written a second time, in plain JavaScript, in tools/salur-verify.js: the service computes
 * the summary it publishes, the inspector's verifier recomputes it from the leaf bytes alone,
 * and the tests hold both to the same documents.
 *
 * A payment's history is its own stream `payment-<id>` from revision 0 without gaps, plus the
 * stream `batch-<id>` of every batch it was sent to the bank in, also from revision 0 without
 * gaps. The batch stream carries the batch's lines (BatchCreated, BatchChanged: the amount the
 * bank is instructed to pay this payment), its approvals, and the bank file (BatchFileGenerated
 * in pain.001 format: SHA-256, ChrgBr, count and control sum, which must match the lines). A
 * salur-proof/v2 history also holds the beneficiary's stream `beneficiary-<id>`, whose account
 * each batching and reissue must go to (account-binding.ts).
 */

export type Verdict =
  | 'full-amount'
  | 'deduction'
  | 'instructed-amount-differs'
  | 'charges-not-borne-by-debtor'
  | 'bank-file-differs-from-batch'
  | 'bank-file-missing'
  | 'insufficient-approvals'
  | 'inconsistent-credit'
  | 'not-credited'
  | 'reversed'
  /**
   * An account the payment was batched or reissued to is not the one its beneficiary's record
   * held at that leaf (account-binding.ts). It overrides every other verdict: whatever was
   * credited went, or goes, elsewhere. The proof still verifies (salur-verify exits 3, not 1):
   * the log shows honestly what the ledger did; it is the ledger's act that is wrong.
   */
  | 'account-not-bound';

export const FULL_AMOUNT: Verdict = 'full-amount';

export type PaymentStatus =
  | 'scheduled'
  | 'batched'
  | 'sent'
  | 'outcome-unknown'
  | 'credited'
  | 'rejected'
  | 'returned'
  | 'not-credited'
  | 'reissued'
  | 'reversed';

export interface PaymentSummary {
  /** From PaymentScheduled: what must reach the beneficiary. */
  readonly approvedAmount: string;
  /** The batch whose bank file the summary speaks of: the credited one, or the one in flight. */
  readonly batchId: string | null;
  /** This payment's line in that batch when its pain.001 was written: the InstdAmt of the file. */
  readonly instructedAmount: string | null;
  /** The pain.001's ChrgBr: DEBT means the programme, not the beneficiary, pays the charges. */
  readonly chargeBearer: string | null;
  /** SHA-256 (hex) of the pain.001 the bank received. */
  readonly bankFileSha256: string | null;
  readonly creditedAmount: string | null;
  /** approved − credited, recomputed; null until credited. */
  readonly deductedAmount: string | null;
  readonly status: PaymentStatus;
  readonly verdict: Verdict;
  /** Every discrepancy found, in words; empty for a full-amount payment. */
  readonly discrepancies: readonly string[];
}

export type { LoggedEvent } from './leaf';

export { EvidenceChainError } from './evidence-chain';

export const paymentStreamOf = (paymentId: string) => `payment-${paymentId}`;
export const batchStreamOf = (batchId: string) => `batch-${batchId}`;

/** The file the bank receives; the CSV rendering of the same batch is informative only. */
export const SUBMITTED_FILE_FORMAT = 'pain001';

/** As the kernel parses amounts; events hold the canonical two-decimal form. */
const AMOUNT = /^(0|[1-9][0-9]{0,14})(\.[0-9]{1,2})?$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Allowed next events by status: the payment decider's state machine, as an inspector reads it. */
const NEXT: Readonly<Record<PaymentStatus, readonly string[]>> = {
  scheduled: ['PaymentBatched'],
  reissued: ['PaymentBatched'],
  batched: ['PaymentUnbatched', 'PaymentSentToBank'],
  sent: ['PaymentCredited', 'PaymentRejected', 'PaymentOutcomeUnknown'],
  // No answer past the timeout: the bank's late answer, or two officers' decision, settles it.
  'outcome-unknown': ['PaymentCredited', 'PaymentRejected', 'PaymentOutcomeDecisionRequested', 'PaymentOutcomeDecided'],
  credited: ['PaymentDeductionFlagged', 'PaymentReturned', 'PaymentReversalRequested', 'PaymentReversed'],
  rejected: ['PaymentReissued'],
  returned: ['PaymentReissued'],
  'not-credited': ['PaymentReissued'],
  reversed: [],
};

interface BankFile {
  readonly leafIndex: number;
  readonly sha256: string | null;
  readonly chargeBearer: string | null;
  /** This payment's amount in the batch's lines when the file was written; null if not listed. */
  readonly instructedAmount: string | null;
  readonly discrepancies: readonly string[];
  /** Four eyes on the version the file was written from; null when not checked (a v1 document). */
  readonly approvalFindings: readonly string[] | null;
  /** salur-batch/v2: the proven line is not the one the payment's claim made (account-not-bound). */
  readonly lineFindings: readonly string[];
}

/** A salur-batch/v2 batch as its stream is walked: the round, the version in force, this payment's line in it. */
interface V2Walk {
  readonly header: { readonly batchId: string; readonly programmeId: string; readonly period: string };
  version: LinesVersion;
  line: ProvenLine | null;
}

/** What a batch's walk needs of the payment besides the batch's events. */
interface PaymentInBatch {
  readonly paymentId: string;
  readonly beneficiaryId: unknown;
  /** The payment's claim in this batch (its latest PaymentBatched naming it). */
  readonly claim: LoggedEvent | undefined;
  /** salur-batch/v2: the payment's line per version, with inclusion paths. */
  readonly lines: readonly BatchLineProof[];
}

interface PaymentWalk {
  status: PaymentStatus;
  attempt: number;
  batchId: string | null;
  reversalRequested: boolean;
  credit: { batchId: string; creditedAmount: string } | null;
  /** Leaf index of the bank's answer (credit or rejection) per batch the payment was sent in. */
  outcomes: Map<string, number | null>;
  /** The payment's latest PaymentBatched per batch: the account and record revision it claimed. */
  claims: Map<string, LoggedEvent>;
  discrepancies: string[];
}

export interface AssessOptions {
  /**
   * The ApprovalPolicyDeclared events of the batches' programmes: given, four eyes is checked
   * (salur-proof/v2); absent, it is not (a v1 document carries no policies).
   */
  readonly policies?: readonly LoggedEvent[];
  /**
   * Given, each account the payment was batched or reissued to must be its beneficiary's account
   * in force, and the beneficiary's stream must be in `events` (salur-proof/v2); absent, the rule
   * is not checked (a v1 document carries no beneficiary events).
   */
  readonly bindAccounts?: boolean;
  /** The payment's line in each version of its salur-batch/v2 batches, with inclusion paths. */
  readonly batchLines?: readonly BatchLineProof[];
}

/**
 * Checks the chain and applies the money rule. `events` are the payment's events and the events
 * of the batches it was sent in, in log order; throws EvidenceChainError when the chain is broken.
 */
export function assessPayment(
  paymentId: string,
  events: readonly LoggedEvent[],
  options: AssessOptions = {},
): PaymentSummary {
  assertLogOrder(events);
  const stream = paymentStreamOf(paymentId);
  const own = events.filter((event) => event.record.stream === stream);
  assertGapless(stream, own);
  const scheduled = own[0].record;
  if (scheduled.type !== 'PaymentScheduled')
    throw new EvidenceChainError(`${stream} starts with ${scheduled.type}, not PaymentScheduled`);
  own.forEach(({ leafIndex, record }) => {
    if (record.data.paymentId !== paymentId)
      throw new EvidenceChainError(`leaf ${leafIndex}: data.paymentId is not ${paymentId}`);
  });
  const approved = amountField(scheduled.data.amount, own[0].leafIndex, 'amount');
  const walk: PaymentWalk = {
    status: 'scheduled',
    attempt: 1,
    batchId: null,
    reversalRequested: false,
    credit: null,
    outcomes: new Map(),
    claims: new Map(),
    discrepancies: [],
  };
  for (const event of own.slice(1)) step(walk, event, approved);

  const files = new Map<string, BankFile | null>();
  for (const batchId of walk.outcomes.keys()) {
    const batchEvents = events.filter((event) => event.record.stream === batchStreamOf(batchId));
    const payment: PaymentInBatch = {
      paymentId,
      beneficiaryId: scheduled.data.beneficiaryId,
      claim: walk.claims.get(batchId),
      lines: options.batchLines ?? [],
    };
    files.set(batchId, bankFileOf(batchId, batchEvents, payment, walk.outcomes.get(batchId) ?? null, options.policies));
  }
  const accountFindings = options.bindAccounts ? accountBindingFindings(own, events) : [];
  const known = new Set([
    stream,
    ...[...walk.outcomes.keys()].map(batchStreamOf),
    ...(options.bindAccounts ? [beneficiaryStreamOf(String(scheduled.data.beneficiaryId))] : []),
  ]);
  const stranger = events.find((event) => !known.has(event.record.stream));
  if (stranger) {
    throw new EvidenceChainError(
      `leaf ${stranger.leafIndex} (${stranger.record.type} in ${stranger.record.stream}) belongs neither to the payment nor to a batch it was sent in`,
    );
  }
  const summary = summarize(walk, approved, files);
  if (accountFindings.length === 0) return summary;
  return { ...summary, verdict: 'account-not-bound', discrepancies: [...accountFindings, ...summary.discrepancies] };
}

function step(walk: PaymentWalk, event: LoggedEvent, approved: string): void {
  const { leafIndex, record } = event;
  const { type, data } = record;
  if (!NEXT[walk.status].includes(type))
    throw new EvidenceChainError(`leaf ${leafIndex}: ${type} cannot follow a ${walk.status} payment`);
  const batchId = typeof data.batchId === 'string' ? data.batchId : null;
  const inSameBatch = () => {
    if (batchId !== walk.batchId) {
      throw new EvidenceChainError(
        `leaf ${leafIndex}: ${type} names batch ${batchId}; the payment is in batch ${walk.batchId}`,
      );
    }
  };
  switch (type) {
    case 'PaymentBatched':
      if (batchId === null) throw new EvidenceChainError(`leaf ${leafIndex}: PaymentBatched names no batch`);
      walk.status = 'batched';
      walk.batchId = batchId;
      walk.claims.set(batchId, event);
      return;
    case 'PaymentUnbatched':
      inSameBatch();
      walk.status = walk.attempt > 1 ? 'reissued' : 'scheduled';
      walk.batchId = null;
      return;
    case 'PaymentSentToBank':
      inSameBatch();
      walk.status = 'sent';
      walk.outcomes.set(batchId as string, null);
      return;
    case 'PaymentCredited':
      inSameBatch();
      recordCredit(walk, leafIndex, record, approved);
      return;
    case 'PaymentRejected':
      inSameBatch();
      walk.status = 'rejected';
      walk.outcomes.set(batchId as string, leafIndex);
      return;
    case 'PaymentReturned':
      inSameBatch();
      walk.status = 'returned';
      walk.credit = null;
      return;
    case 'PaymentOutcomeUnknown':
      inSameBatch();
      walk.status = 'outcome-unknown';
      return;
    case 'PaymentOutcomeDecisionRequested':
      return;
    case 'PaymentOutcomeDecided':
      inSameBatch();
      recordDecision(walk, leafIndex, record);
      return;
    case 'PaymentReissued':
      walk.status = 'reissued';
      walk.attempt = typeof data.attempt === 'number' ? data.attempt : walk.attempt + 1;
      walk.reversalRequested = false;
      return;
    case 'PaymentReversalRequested':
      walk.reversalRequested = true;
      return;
    case 'PaymentReversed':
      if (!walk.reversalRequested) throw new EvidenceChainError(`leaf ${leafIndex}: a reversal nobody requested`);
      walk.status = 'reversed';
      return;
    case 'PaymentDeductionFlagged': {
      // The ledger's own alarm: it must name the deduction the credit shows.
      const flagged = amountField(data.deductedAmount, leafIndex, 'deductedAmount');
      const deducted = subtract(approved, walk.credit?.creditedAmount ?? approved);
      if (flagged !== deducted) {
        walk.discrepancies.push(
          `the deduction flagged at leaf ${leafIndex} (${flagged}) is not approved − credited (${deducted})`,
        );
      }
      return;
    }
  }
}

function recordCredit(walk: PaymentWalk, leafIndex: number, record: LeafRecord, approved: string): void {
  const creditedAmount = amountField(record.data.creditedAmount, leafIndex, 'creditedAmount');
  const recordedApproved = amountField(record.data.approvedAmount, leafIndex, 'approvedAmount');
  const recordedDeduction = amountField(record.data.deductedAmount, leafIndex, 'deductedAmount');
  if (recordedApproved !== approved) {
    walk.discrepancies.push(
      `the credit at leaf ${leafIndex} records approved ${recordedApproved}; the payment was approved for ${approved}`,
    );
  }
  const deducted = subtract(approved, creditedAmount);
  if (recordedDeduction !== deducted) {
    walk.discrepancies.push(
      `the credit at leaf ${leafIndex} records a deduction of ${recordedDeduction}; approved − credited is ${deducted}`,
    );
  }
  walk.status = 'credited';
  walk.credit = { batchId: walk.batchId as string, creditedAmount };
  walk.outcomes.set(walk.batchId as string, leafIndex);
}

/**
 * Two officers decided an unknown outcome. A decided credit is of the amount they name, and says
 * so among the discrepancies: no bank reported it, so the proof cannot show the bank's credit.
 */
function recordDecision(walk: PaymentWalk, leafIndex: number, record: LeafRecord): void {
  const batchId = walk.batchId as string;
  walk.outcomes.set(batchId, leafIndex);
  if (record.data.outcome !== 'credited') {
    walk.status = 'not-credited';
    return;
  }
  walk.status = 'credited';
  walk.credit = { batchId, creditedAmount: amountField(record.data.amount, leafIndex, 'amount') };
  walk.discrepancies.push(
    `the credit at leaf ${leafIndex} was decided by two officers (${String(record.data.requestedBy)}, ${String(record.data.decidedBy)}), not reported by the bank`,
  );
}

/**
 * Walks a batch's stream up to the bank's answer for this payment and returns what its pain.001
 * says about the payment, or null when no pain.001 was logged before that answer.
 */
function bankFileOf(
  batchId: string,
  events: readonly LoggedEvent[],
  payment: PaymentInBatch,
  outcomeAt: number | null,
  policies: readonly LoggedEvent[] | undefined,
): BankFile | null {
  const stream = batchStreamOf(batchId);
  if (events.length === 0)
    throw new EvidenceChainError(`the events of ${stream}, which the payment was sent in, are not in the proof`);
  assertGapless(stream, events);
  // The creation workflow starts the stream with BatchCreationStarted (where the policy is taken).
  const first = events[0].record.type === 'BatchCreationStarted' ? 1 : 0;
  if (events[first]?.record.type !== 'BatchCreated')
    throw new EvidenceChainError(`${stream} starts with ${events[0].record.type}, not BatchCreated`);
  const lines = new Map<string, string>();
  let v2: V2Walk | null = null;
  let file: BankFile | null = null;
  let version: BatchVersion | null = null;
  let approval: BatchApproval | null = null;
  let records: ApproverRecord[] = [];
  for (const { leafIndex, record } of events) {
    if (outcomeAt !== null && leafIndex > outcomeAt) break;
    const { type, data } = record;
    if (data.batchId !== batchId) throw new EvidenceChainError(`leaf ${leafIndex}: data.batchId is not ${batchId}`);
    if (type === 'BatchCreated') {
      const policyAt = first === 1 ? events[0].leafIndex : leafIndex;
      const [makerId, programmeId] = [String(data.makerId), String(data.programmeId)];
      if (isV2BatchLeaf(record)) {
        const header = { batchId, programmeId, period: String(data.period) };
        v2 = { header, ...v2VersionOf(payment, leafIndex, record, header) };
        version = {
          batchId,
          programmeId,
          makerId,
          contentHash: v2.version.contentHash,
          total: v2.version.total,
          policyAt,
          leafIndex,
        };
      } else {
        for (const line of arrayField(data.payments, leafIndex, 'payments')) {
          lines.set(String(line.paymentId), amountField(line.amount, leafIndex, 'payments[].amount'));
        }
        version = versionOf(batchId, data, makerId, programmeId, lines, policyAt, leafIndex);
      }
      [approval, records] = [null, []];
    } else if (type === 'BatchChanged' && version !== null) {
      const previous: BatchVersion = version;
      if (v2) {
        v2 = { header: v2.header, ...v2VersionOf(payment, leafIndex, record, v2.header) };
        version = {
          ...previous,
          contentHash: v2.version.contentHash,
          total: v2.version.total,
          policyAt: leafIndex,
          leafIndex,
        };
      } else {
        for (const removed of arrayField(data.removedPaymentIds, leafIndex, 'removedPaymentIds'))
          lines.delete(String(removed));
        version = versionOf(batchId, data, version.makerId, version.programmeId, lines, leafIndex, leafIndex);
      }
      [approval, records] = [null, []];
    } else if (type === 'BatchApprovalRecorded') {
      records.push({ leafIndex, approverId: data.approverId, contentHash: data.contentHash });
    } else if (type === 'BatchApproved') {
      approval = { leafIndex, contentHash: data.contentHash, approverIds: data.approverIds };
    } else if (type === 'BatchFileGenerated' && data.format === SUBMITTED_FILE_FORMAT) {
      const findings = policies && version ? approvalFindings(version, approval, records, policies) : null;
      const evidence = v2
        ? v2FileEvidence(leafIndex, data, v2, payment)
        : fileEvidence(leafIndex, data, lines, payment.paymentId);
      file = { lineFindings: [], ...evidence, approvalFindings: findings };
    }
  }
  return file;
}

function v2VersionOf(
  payment: PaymentInBatch,
  leafIndex: number,
  record: LeafRecord,
  header: V2Walk['header'],
): Omit<V2Walk, 'header'> {
  const version = linesVersionOf(leafIndex, record, header);
  return { version, line: provenLineOf(payment.paymentId, version, payment.lines) };
}

/**
 * A pain.001 of a salur-batch/v2 batch: its count and control sum must be the version's signed
 * count and total; the instructed amount is the payment's proven line.
 */
function v2FileEvidence(
  leafIndex: number,
  data: LeafRecord['data'],
  { version, line }: V2Walk,
  payment: PaymentInBatch,
): Omit<BankFile, 'approvalFindings'> {
  const discrepancies: string[] = version.hashFinding ? [version.hashFinding] : [];
  const fileSum = amountField(data.controlSum, leafIndex, 'controlSum');
  if (data.count !== version.count || fileSum !== version.total) {
    discrepancies.push(
      `the bank file at leaf ${leafIndex} lists ${String(data.count)} payments for ${fileSum}; the batch version at leaf ${version.leafIndex} has ${version.count} for ${version.total}`,
    );
  }
  const sha256 = typeof data.sha256 === 'string' && SHA256_HEX.test(data.sha256) ? data.sha256 : null;
  const chargeBearer = typeof data.chargeBearer === 'string' ? data.chargeBearer : null;
  const lineFindings = line ? lineClaimFindings(line, version, payment.beneficiaryId, payment.claim) : [];
  return { leafIndex, sha256, chargeBearer, instructedAmount: line?.amount ?? null, discrepancies, lineFindings };
}

function versionOf(
  batchId: string,
  data: LeafRecord['data'],
  makerId: string,
  programmeId: string,
  lines: ReadonlyMap<string, string>,
  policyAt: number,
  leafIndex: number,
): BatchVersion {
  const total = formatAmount(sumAmounts([...lines.values()].map(amountOf)));
  return { batchId, programmeId, makerId, contentHash: String(data.contentHash), total, policyAt, leafIndex };
}

function fileEvidence(
  leafIndex: number,
  data: LeafRecord['data'],
  lines: ReadonlyMap<string, string>,
  paymentId: string,
): Omit<BankFile, 'approvalFindings' | 'lineFindings'> {
  const discrepancies: string[] = [];
  const controlSum = formatAmount(sumAmounts([...lines.values()].map(amountOf)));
  const fileSum = amountField(data.controlSum, leafIndex, 'controlSum');
  if (data.count !== lines.size || fileSum !== controlSum) {
    discrepancies.push(
      `the bank file at leaf ${leafIndex} lists ${String(data.count)} payments for ${fileSum}; the batch has ${lines.size} for ${controlSum}`,
    );
  }
  const sha256 = typeof data.sha256 === 'string' && SHA256_HEX.test(data.sha256) ? data.sha256 : null;
  const chargeBearer = typeof data.chargeBearer === 'string' ? data.chargeBearer : null;
  return { leafIndex, sha256, chargeBearer, instructedAmount: lines.get(paymentId) ?? null, discrepancies };
}

function summarize(walk: PaymentWalk, approved: string, files: ReadonlyMap<string, BankFile | null>): PaymentSummary {
  const inFlight = walk.status === 'sent' || walk.status === 'outcome-unknown';
  const batchId = walk.credit?.batchId ?? (inFlight ? walk.batchId : null);
  const file = batchId === null ? null : (files.get(batchId) ?? null);
  const base = {
    approvedAmount: approved,
    batchId,
    instructedAmount: file?.instructedAmount ?? null,
    chargeBearer: file?.chargeBearer ?? null,
    bankFileSha256: file?.sha256 ?? null,
    status: walk.status,
  };
  if (walk.status !== 'credited' || walk.credit === null) {
    const reversed = walk.status === 'reversed';
    const discrepancies = [
      ...walk.discrepancies,
      reversed ? 'the credit was reversed' : `the payment is ${walk.status}, not credited`,
    ];
    return {
      ...base,
      creditedAmount: null,
      deductedAmount: null,
      verdict: reversed ? 'reversed' : 'not-credited',
      discrepancies,
    };
  }
  const creditedAmount = walk.credit.creditedAmount;
  const deductedAmount = subtract(approved, creditedAmount);
  const found: Array<[Verdict, string]> = [];
  if (deductedAmount !== '0.00')
    found.push(['deduction', `credited ${creditedAmount} of the approved ${approved}: ${deductedAmount} deducted`]);
  if (file === null) {
    found.push(['bank-file-missing', `no pain.001 of batch ${batchId} was logged before the bank's answer`]);
  } else {
    for (const text of file.lineFindings) found.push(['account-not-bound', text]);
    if (file.instructedAmount === null) {
      found.push(['instructed-amount-differs', `batch ${batchId}'s file does not list this payment`]);
    } else if (file.instructedAmount !== approved) {
      found.push([
        'instructed-amount-differs',
        `the bank file instructs ${file.instructedAmount}; the approved amount is ${approved}`,
      ]);
    }
    if (file.chargeBearer !== 'DEBT') {
      found.push([
        'charges-not-borne-by-debtor',
        `the bank file's ChrgBr is ${file.chargeBearer ?? 'absent'}, not DEBT`,
      ]);
    }
    for (const text of file.discrepancies) found.push(['bank-file-differs-from-batch', text]);
    for (const text of file.approvalFindings ?? []) found.push(['insufficient-approvals', text]);
  }
  const verdict: Verdict = found[0]?.[0] ?? (walk.discrepancies.length > 0 ? 'inconsistent-credit' : FULL_AMOUNT);
  const discrepancies = [...found.map(([, text]) => text), ...walk.discrepancies];
  return { ...base, creditedAmount, deductedAmount, verdict, discrepancies };
}

function assertLogOrder(events: readonly LoggedEvent[]): void {
  for (let i = 1; i < events.length; i++) {
    if (events[i].leafIndex <= events[i - 1].leafIndex) {
      throw new EvidenceChainError(
        `the history is not in log order: leaf ${events[i].leafIndex} is listed after leaf ${events[i - 1].leafIndex}`,
      );
    }
  }
}

/** A decimal string of at most two decimals, returned in canonical form ("600000.00"). */
function amountField(value: unknown, leafIndex: number, field: string): string {
  if (typeof value !== 'string' || !AMOUNT.test(value)) {
    throw new EvidenceChainError(
      `leaf ${leafIndex}: ${field} is not an amount (a decimal string, at most two decimals)`,
    );
  }
  return formatAmount(amountOf(value));
}

function arrayField(value: unknown, leafIndex: number, field: string): Array<Record<string, unknown>> {
  if (!Array.isArray(value)) throw new EvidenceChainError(`leaf ${leafIndex}: ${field} is not a list`);
  return value as Array<Record<string, unknown>>;
}

function subtract(left: string, right: string): string {
  return formatAmount(amountOf(left).minus(amountOf(right)));
}

export interface StreamHeadAt {
  readonly revision: number;
  readonly leafIndex: number;
}

/**
 * Each stream's events in a proof must end at the head the signed stream-head map gives for it:
 * a history that stops earlier leaves out later events (a reversal, a return). Revisions are
 * checked gapless by assessPayment; this checks the end.
 */
export function assertEndsAtHeads(events: readonly LoggedEvent[], heads: ReadonlyMap<string, StreamHeadAt>): void {
  const last = new Map<string, LoggedEvent>();
  for (const event of events) last.set(event.record.stream, event);
  for (const [stream, event] of last) {
    const head = heads.get(stream);
    if (!head) throw new EvidenceChainError(`${stream}: the proof carries no head for this stream`);
    if (event.record.revision !== head.revision || event.leafIndex !== head.leafIndex) {
      throw new EvidenceChainError(
        `${stream}: the proof stops at revision ${event.record.revision} (leaf ${event.leafIndex}) but the stream's head at the checkpoint is revision ${head.revision} (leaf ${head.leafIndex}): later events are left out`,
      );
    }
  }
}
