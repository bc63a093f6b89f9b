import { invalid } from './domain-error';
import { Amount, amountOf } from './money';

/**
 * How many distinct approvers a batch needs, by its total: e.g. one up to Rp 500 million, two
 * above. Configured per deployment; the batch records the number it was created with. In the
 * shared kernel because the ledger's configuration reads it and batches apply it (and a
 * programme will declare its own).
 */
export interface ApprovalPolicy {
  /** Ascending by upTo; the last tier has upTo null (no upper bound). */
  readonly tiers: ReadonlyArray<{ readonly upTo: string | null; readonly approvers: number }>;
}

export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = {
  tiers: [
    { upTo: '500000000.00', approvers: 1 },
    { upTo: null, approvers: 2 },
  ],
};

export function requiredApprovals(policy: ApprovalPolicy, total: Amount): number {
  for (const tier of policy.tiers) {
    if (tier.upTo === null || total.lessThanOrEqualTo(amountOf(tier.upTo))) return tier.approvers;
  }
  throw invalid('INVALID_APPROVAL_POLICY', 'The approval policy has no tier without an upper bound');
}
