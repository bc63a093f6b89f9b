import { amountOf, formatAmount } from '@salur/kernel';

/**
 * Money in the read models: canonical decimal strings, added and subtracted exactly, never as floats.
 *
 * A canonical amount (formatAmount's output: digits, a point, two decimals) is a whole number of
 * cents, so sums of canonical amounts are BigInt sums of cents, exact like decimal.js and several
 * times cheaper: a rebuild adds millions of them. Any other text falls back to decimal.js, so an
 * unusual amount is still added exactly, only more slowly.
 */
export const ZERO_AMOUNT = '0.00';

const CANONICAL_AMOUNT = /^-?(0|[1-9][0-9]*)\.[0-9]{2}$/;

/** The amount in cents when it is canonical; undefined otherwise. */
export function centsOf(amount: string): bigint | undefined {
  return CANONICAL_AMOUNT.test(amount) ? BigInt(amount.replace('.', '')) : undefined;
}

/** Cents as a canonical amount: `-5n` → `-0.05`. */
export function amountOfCents(cents: bigint): string {
  const negative = cents < 0n;
  const digits = (negative ? -cents : cents).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** `amount + added − removed`, either term optional. */
export function moved(amount: string, added: string | undefined, removed: string | undefined): string {
  let total = centsOf(amount);
  const plusCents = added === undefined ? 0n : centsOf(added);
  const minusCents = removed === undefined ? 0n : centsOf(removed);
  if (total === undefined || plusCents === undefined || minusCents === undefined) {
    let exact = amountOf(amount);
    if (added !== undefined) exact = exact.plus(amountOf(added));
    if (removed !== undefined) exact = exact.minus(amountOf(removed));
    return formatAmount(exact);
  }
  total += plusCents - minusCents;
  return amountOfCents(total);
}

export function plus(left: string, right: string): string {
  return moved(left, right, undefined);
}

export function minus(left: string, right: string): string {
  return moved(left, undefined, right);
}

export function sum(amounts: readonly string[]): string {
  return amounts.reduce((total, amount) => plus(total, amount), ZERO_AMOUNT);
}
