import { deterministicId, ID_NAMESPACES } from '@salur/kernel';

/**
 * The one id a payment for this programme, period and beneficiary can have. Its stream either
 * exists or not: a second payment for the same period is impossible by construction.
 */
export function paymentIdFor(programmeId: string, period: string, beneficiaryId: string): string {
  return deterministicId(ID_NAMESPACES.payment, `${programmeId}/${period}/${beneficiaryId}`);
}

const PERIOD_PATTERN = /^(\d{4})-(0[1-9]|1[0-2]|Q[1-4])$/;

/** `2026-11` (a month) or `2026-Q4` (a quarter). */
export function isPeriod(value: unknown): value is string {
  return typeof value === 'string' && PERIOD_PATTERN.test(value);
}

export function paymentStreamName(paymentId: string): string {
  return `payment-${paymentId}`;
}
