import { deterministicId, ID_NAMESPACES } from '@salur/kernel';

/**
 * The one id a payment for this programme, period and beneficiary can have. Its stream either
 * exists or not: a second payment for the same period is impossible by construction.
 */
export function paymentIdFor(programmeId: string, period: string, beneficiaryId: string): string {
  return deterministicId(ID_NAMESPACES.payment, `${programmeId}/${period}/${beneficiaryId}`);
}

/**
 * A period's format: `2026-11` (a month), `2026-Q4` (a quarter) or `2026-ONE` (a one-off). The
 * programme that declares periods owns their format; whether it pays a period is its schedule's
 * to say (`requireDeclaredPeriod`).
 */
export { isPeriod, PERIOD_PATTERN } from '@salur/programmes/domain';

export function paymentStreamName(paymentId: string): string {
  return `payment-${paymentId}`;
}
