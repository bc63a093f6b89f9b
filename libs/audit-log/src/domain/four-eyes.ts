import { amountOf, canonicalUserId, requiredApprovals, type ApprovalPolicy } from '@salur/kernel';
import type { LoggedEvent } from './leaf';

/**
 * Four eyes as an inspector checks it from the log alone (written again in tools/salur-verify.js):
 * the approval the bank file was written under names the content hash of the batch version the
 * payment's line belongs to, and it lists as many distinct approvers as the programme's approval
 * policy in force asked for that version's total, each a canonical user id (trimmed, lower-case,
 * the kernel's pattern) and none of them the batch's maker.
 */
export const programmeStreamOf = (programmeId: string) => `programme-${programmeId}`;
export const APPROVAL_POLICY_DECLARED = 'ApprovalPolicyDeclared';

/** One version of a batch's lines: from BatchCreated or a BatchChanged, until the next. */
export interface BatchVersion {
  readonly batchId: string;
  readonly programmeId: string;
  readonly makerId: string;
  readonly contentHash: string;
  /** The sum of the version's lines, canonical. */
  readonly total: string;
  /** Leaf at which the version took its policy: BatchCreationStarted, else BatchCreated; a BatchChanged. */
  readonly policyAt: number;
  readonly leafIndex: number;
}

export interface BatchApproval {
  readonly leafIndex: number;
  readonly contentHash: unknown;
  readonly approverIds: unknown;
}

/** One approver's own record (BatchApprovalRecorded) since the version. */
export interface ApproverRecord {
  readonly leafIndex: number;
  readonly approverId: unknown;
  readonly contentHash: unknown;
}

/** What is wrong with the approval of `version`, in words; empty when four eyes holds. */
export function approvalFindings(
  version: BatchVersion,
  approval: BatchApproval | null,
  records: readonly ApproverRecord[],
  policies: readonly LoggedEvent[],
): string[] {
  const policy = policyInForce(version, policies);
  if (typeof policy === 'string') return [policy];
  if (approval === null)
    return [`batch ${version.batchId}'s bank file was written with no approval of its content ${version.contentHash}`];
  const findings: string[] = [];
  if (approval.contentHash !== version.contentHash) {
    findings.push(
      `the approval at leaf ${approval.leafIndex} names content ${String(approval.contentHash)}; the batch's lines at leaf ${version.leafIndex} have ${version.contentHash}`,
    );
  }
  const maker = canonical(version.makerId);
  const distinct = new Set<string>();
  const listed = Array.isArray(approval.approverIds) ? approval.approverIds : [];
  for (const raw of listed) {
    const id = canonical(raw);
    if (id === null)
      findings.push(`approver '${String(raw)}' at leaf ${approval.leafIndex} is not a canonical user id`);
    else if (id === maker) findings.push(`approver ${id} is the batch's maker`);
    else if (distinct.has(id)) findings.push(`approver ${id} is counted twice`);
    else distinct.add(id);
  }
  for (const record of records) {
    const id = canonical(record.approverId);
    if (id !== null && distinct.has(id) && record.contentHash !== version.contentHash) {
      findings.push(
        `the approval by ${id} at leaf ${record.leafIndex} names content ${String(record.contentHash)}, not ${version.contentHash}`,
      );
    }
  }
  if (distinct.size < policy.required) {
    findings.push(
      `batch ${version.batchId} (total ${version.total}) needs ${policy.required} distinct approvers other than its maker under the policy declared at leaf ${policy.leafIndex}; it has ${distinct.size}`,
    );
  }
  return findings;
}

/** The last policy declared before the version took its policy, and what it asks for the total. */
function policyInForce(
  version: BatchVersion,
  policies: readonly LoggedEvent[],
): { leafIndex: number; required: number } | string {
  const stream = programmeStreamOf(version.programmeId);
  const declared = policies
    .filter(
      ({ leafIndex, record }) =>
        record.stream === stream && record.type === APPROVAL_POLICY_DECLARED && leafIndex < version.policyAt,
    )
    .sort((left, right) => left.leafIndex - right.leafIndex)
    .pop();
  if (!declared)
    return `no approval policy of programme ${version.programmeId} was declared before batch ${version.batchId}'s lines (leaf ${version.policyAt}): its approvals cannot be checked`;
  try {
    const policy = { tiers: declared.record.data.tiers } as ApprovalPolicy;
    return { leafIndex: declared.leafIndex, required: requiredApprovals(policy, amountOf(version.total)) };
  } catch {
    return `the approval policy at leaf ${declared.leafIndex} is not a list of tiers ending without a bound`;
  }
}

function canonical(raw: unknown): string | null {
  try {
    return canonicalUserId(raw);
  } catch {
    return null;
  }
}
