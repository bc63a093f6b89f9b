import { assertGapless, EvidenceChainError } from './evidence-chain';
import type { LoggedEvent } from './leaf';

/**
 * Account binding, as an inspector checks it from the log alone (written again in
 * tools/salur-verify.js): every account a payment was batched or reissued to (PaymentBatched,
 * PaymentReissued: data.account) is an account the beneficiary's own record held, set by a
 * BeneficiaryEnrolled or BankAccountChanged (data.bankAccount) of the payment's beneficiary:
 * - when the event names `beneficiaryRevision` (the record's revision the account was read at,
 *   since 2026-12), the latest account event at or below that revision, which must itself be
 *   logged before the payment's event: an account changed while a batch was being built then
 *   binds to the record the builder read, and the change shows in the same proof;
 * - otherwise (older events), the latest account event before it in log order.
 * A payment sent to an account somebody typed into
 * the payment, and not into the beneficiary's record, shows here; one whose record was changed
 * first shows who changed it, when and why, in the same proof.
 *
 * The account number and the holder's name are sealed personal data: they are compared as
 * commitments (HMAC-SHA256 of the value under a key per subject and kind, so one beneficiary's
 * equal values give equal commitments), never in clear. The bank code is not personal and is
 * compared as it is; leaves written before sealing hold clear strings, compared as they are.
 */
export const beneficiaryStreamOf = (beneficiaryId: string) => `beneficiary-${beneficiaryId}`;

/** The payment's events that name where its money goes. */
const PAID_TO: ReadonlySet<string> = new Set(['PaymentBatched', 'PaymentReissued']);
/** The beneficiary's events that set the account on their record. */
const ACCOUNT_SET: ReadonlySet<string> = new Set(['BeneficiaryEnrolled', 'BankAccountChanged']);
/** libs/personal-data's envelope: `{sealed, subject, kind, commitment, ciphertext}`. */
const SEALED_FORMAT = 'salur-pd/1';
const PERSONAL_FIELDS = ['accountNumber', 'accountHolderName'] as const;

/**
 * What is wrong with the accounts of a payment, in words; empty when each is its beneficiary's
 * account in force. `own` is the payment's stream from its PaymentScheduled on, `events` the whole
 * history; the beneficiary's stream must be in it, complete, or the chain is broken.
 */
export function accountBindingFindings(own: readonly LoggedEvent[], events: readonly LoggedEvent[]): string[] {
  const scheduled = own[0];
  const beneficiaryId = scheduled.record.data.beneficiaryId;
  if (typeof beneficiaryId !== 'string')
    throw new EvidenceChainError(`leaf ${scheduled.leafIndex}: PaymentScheduled names no beneficiary`);
  const stream = beneficiaryStreamOf(beneficiaryId);
  const record = events.filter((event) => event.record.stream === stream);
  if (record.length === 0)
    throw new EvidenceChainError(`the events of ${stream}, whose account the payment must go to, are not in the proof`);
  assertGapless(stream, record);
  const findings: string[] = [];
  for (const paid of own) {
    if (!PAID_TO.has(paid.record.type)) continue;
    const where = `the account at leaf ${paid.leafIndex} (${paid.record.type})`;
    const asOf = paid.record.data.beneficiaryRevision;
    if (
      asOf !== undefined &&
      !record.some((event) => event.record.revision === asOf && event.leafIndex < paid.leafIndex)
    ) {
      findings.push(`${where} names revision ${String(asOf)} of ${stream}'s record, which was not logged before it`);
      continue;
    }
    const inForce = record
      .filter(
        (event) =>
          ACCOUNT_SET.has(event.record.type) &&
          event.leafIndex < paid.leafIndex &&
          (asOf === undefined || event.record.revision <= Number(asOf)),
      )
      .pop();
    if (!inForce) {
      findings.push(`${where} precedes any account on ${stream}'s record`);
      continue;
    }
    const differences = accountDifferences(paid.record.data.account, inForce.record.data.bankAccount);
    if (differences.length > 0) {
      findings.push(
        `${where} is not the one ${stream}'s record held, set at leaf ${inForce.leafIndex} (${inForce.record.type}): ${differences.join('; ')}`,
      );
    }
  }
  return findings;
}

/** How the account paid differs from the account held; empty when it is the same account. */
function accountDifferences(paid: unknown, held: unknown): string[] {
  if (!isObject(paid) || !isObject(held))
    return ['one of them is not an account {bankCode, accountNumber, accountHolderName}'];
  const differences: string[] = [];
  if (typeof paid.bankCode !== 'string' || paid.bankCode !== held.bankCode)
    differences.push(`bankCode ${String(paid.bankCode)}, not ${String(held.bankCode)}`);
  for (const field of PERSONAL_FIELDS) {
    const difference = fieldDifference(paid[field], held[field]);
    if (difference) differences.push(`${field} ${difference}`);
  }
  return differences;
}

/** Why two values of one personal field are not shown equal; null when they are. */
function fieldDifference(paid: unknown, held: unknown): string | null {
  if (typeof paid === 'string' && typeof held === 'string') return paid === held ? null : 'differs';
  const [left, right] = [sealedParts(paid), sealedParts(held)];
  if (left && right) {
    if (left.subject !== right.subject) return `is sealed for ${left.subject}, the record's for ${right.subject}`;
    if (left.kind !== right.kind) return `is sealed as ${left.kind}, the record's as ${right.kind}`;
    return left.commitment === right.commitment ? null : 'differs (another commitment)';
  }
  if ((left && typeof held === 'string') || (right && typeof paid === 'string'))
    return 'is sealed in one and clear in the other: they cannot be compared';
  return 'is neither a string nor a sealed field';
}

function sealedParts(value: unknown): { subject: string; kind: string; commitment: string } | null {
  if (!isObject(value) || value.sealed !== SEALED_FORMAT) return null;
  const { subject, kind, commitment } = value;
  if (typeof subject !== 'string' || typeof kind !== 'string' || typeof commitment !== 'string') return null;
  return { subject, kind, commitment };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
