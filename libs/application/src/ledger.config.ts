import { Logger } from '@nestjs/common';
import { ConfigurationError, Environment, readInteger, readString } from '@salur/config';
import { ApprovalPolicy, DEFAULT_APPROVAL_POLICY, parsePositiveAmount } from '@salur/kernel';

export interface LedgerConfig {
  /** Keys the derivation of beneficiary ids from NIKs, so an id does not reveal a guessed NIK. */
  readonly beneficiaryIdKey: string;
  readonly approvalPolicy: ApprovalPolicy;
  readonly batchMaxPayments: number;
  readonly batchApprovalTtlMs: number;
  /** How often the batch workflows' obligations are looked for and settled; 0: never (tests drive it). */
  readonly workflowIntervalMs: number;
  /**
   * How long a workflow step may stay unfinished before another process finishes or compensates
   * it: long enough that a live command is never overtaken, short enough that a crash heals soon.
   */
  readonly workflowGraceMs: number;
  /** A payment sent this long ago without a final answer becomes outcome-unknown (by the scheduled pass). */
  readonly bankOutcomeTimeoutHours: number;
  /**
   * How often the scheduled pass runs (outcome timeouts, batch expiry, settlement), as a BullMQ job
   * scheduler wherever the workers run; 0: never (tests drive BankOutcomePass themselves).
   */
  readonly bankOutcomePassIntervalMs: number;
}

export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');

const DEVELOPMENT_ID_KEY = 'salur-development-beneficiary-id-key-change-me';
const MIN_KEY_LENGTH = 32;

export function ledgerConfigFrom(env: Environment): LedgerConfig {
  const beneficiaryIdKey = readString(env, 'BENEFICIARY_ID_KEY', DEVELOPMENT_ID_KEY);
  if (beneficiaryIdKey.length < MIN_KEY_LENGTH) {
    throw new ConfigurationError('BENEFICIARY_ID_KEY', `must be at least ${MIN_KEY_LENGTH} characters`);
  }
  if (beneficiaryIdKey === DEVELOPMENT_ID_KEY) {
    new Logger('Ledger').warn('BENEFICIARY_ID_KEY is not set: using the development key; production must set its own');
  }
  return {
    beneficiaryIdKey,
    approvalPolicy: parseApprovalTiers(readString(env, 'APPROVAL_TIERS', '')) ?? DEFAULT_APPROVAL_POLICY,
    batchMaxPayments: readInteger(env, 'BATCH_MAX_PAYMENTS', 5_000, { min: 1, max: 5_000 }),
    batchApprovalTtlMs: readInteger(env, 'BATCH_APPROVAL_TTL_HOURS', 72, { min: 1, max: 24 * 90 }) * 3_600_000,
    workflowIntervalMs: readInteger(env, 'WORKFLOW_INTERVAL', 30, { min: 0, max: 86_400 }) * 1_000,
    workflowGraceMs: workflowGraceMsFrom(env),
    bankOutcomeTimeoutHours: readInteger(env, 'BANK_OUTCOME_TIMEOUT_HOURS', 72, { min: 1, max: 24 * 90 }),
    bankOutcomePassIntervalMs: readInteger(env, 'BANK_OUTCOME_PASS_INTERVAL', 300, { min: 0, max: 86_400 }) * 1_000,
  };
}

/** WORKFLOW_GRACE in ms: also what the invariant checker allows a running service to finish. */
export function workflowGraceMsFrom(env: Environment): number {
  return readInteger(env, 'WORKFLOW_GRACE', 120, { min: 0, max: 86_400 }) * 1_000;
}

/** `500000000.00:1,*:2`: up to Rp 500 million one approver, above that two. */
function parseApprovalTiers(text: string): ApprovalPolicy | undefined {
  if (!text) return undefined;
  const tiers = text.split(',').map((tier) => {
    const [upTo, approvers] = tier.split(':').map((part) => part.trim());
    const count = Number(approvers);
    if (!Number.isInteger(count) || count < 1 || count > 5) {
      throw new ConfigurationError('APPROVAL_TIERS', `'${tier}' needs 1 to 5 approvers`);
    }
    if (upTo === '*') return { upTo: null, approvers: count };
    try {
      return { upTo: parsePositiveAmount(upTo, 'APPROVAL_TIERS').toFixed(2), approvers: count };
    } catch {
      throw new ConfigurationError('APPROVAL_TIERS', `'${upTo}' is not an amount`);
    }
  });
  if (tiers[tiers.length - 1].upTo !== null) {
    throw new ConfigurationError('APPROVAL_TIERS', "the last tier must be '*' (no upper bound)");
  }
  return { tiers };
}
