import { type ApprovalPolicy, formatAmount, invalid, parsePositiveAmount } from '@salur/kernel';

/** Most approvers a tier may ask for: more than five officers is not a policy anyone can meet. */
const MAX_APPROVERS = 5;
const MAX_TIERS = 10;

/**
 * An approval policy as a request gives it: tiers ascending by their upper bound, the last one
 * without a bound, each needing 1 to 5 approvers. Refused with the field `approvalPolicy`.
 */
export function parseApprovalPolicy(value: unknown): ApprovalPolicy {
  const tiers = (value as { tiers?: unknown } | null)?.tiers;
  if (!Array.isArray(tiers) || tiers.length === 0 || tiers.length > MAX_TIERS) {
    throw invalid('INVALID_APPROVAL_POLICY', `approvalPolicy needs 1 to ${MAX_TIERS} tiers`, 'approvalPolicy');
  }
  let previous: string | undefined;
  const parsed = tiers.map((tier: unknown, index) => {
    const { upTo, approvers } = (tier ?? {}) as { upTo?: unknown; approvers?: unknown };
    if (!Number.isInteger(approvers) || (approvers as number) < 1 || (approvers as number) > MAX_APPROVERS) {
      throw invalid(
        'INVALID_APPROVAL_POLICY',
        `Tier ${index + 1} needs 1 to ${MAX_APPROVERS} approvers`,
        'approvalPolicy',
      );
    }
    const last = index === tiers.length - 1;
    if (last !== (upTo === null)) {
      throw invalid(
        'INVALID_APPROVAL_POLICY',
        'Only the last tier, and always it, has no upper bound (upTo null)',
        'approvalPolicy',
      );
    }
    if (upTo === null) return { upTo: null, approvers: approvers as number };
    const bound = formatAmount(parsePositiveAmount(String(upTo), 'approvalPolicy'));
    if (
      previous !== undefined &&
      !parsePositiveAmount(bound, 'approvalPolicy').greaterThan(parsePositiveAmount(previous, 'approvalPolicy'))
    ) {
      throw invalid('INVALID_APPROVAL_POLICY', 'Tiers must ascend by their upper bound', 'approvalPolicy');
    }
    previous = bound;
    return { upTo: bound, approvers: approvers as number };
  });
  return { tiers: parsed };
}

export function samePolicy(left: ApprovalPolicy, right: ApprovalPolicy): boolean {
  return JSON.stringify(left.tiers) === JSON.stringify(right.tiers);
}
