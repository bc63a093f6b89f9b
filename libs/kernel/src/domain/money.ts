import Decimal from 'decimal.js';
import { invalid } from './domain-error';

/**
 * Money is a decimal.js value in code and a canonical decimal string ("600000.00") in events
 * and JSON. It never passes through a JS number: a float cannot hold every rupiah amount.
 */
export type Amount = Decimal;

export const AMOUNT_DECIMALS = 2;
/** Rp 10^15 (a quadrillion) bounds every amount: far above any national budget, far below overflow of anything. */
const AMOUNT_PATTERN = /^(0|[1-9][0-9]{0,14})(\.[0-9]{1,2})?$/;

/** A private Decimal constructor: settings of other code can never change how money rounds. */
const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 40 });

/**
 * Parses an amount as it arrives from outside. Only a plain decimal string is money: no number
 * (it may already have lost digits), no exponent, no sign, no leading zeros, at most 2 decimals.
 */
export function parseAmount(value: unknown, field: string): Amount {
  if (typeof value !== 'string') {
    throw invalid(
      'INVALID_AMOUNT',
      `${field} must be a decimal string such as "600000.00", not a ${typeof value}`,
      field,
    );
  }
  if (!AMOUNT_PATTERN.test(value)) {
    throw invalid(
      'INVALID_AMOUNT',
      `${field} '${truncate(value)}' is not an amount: digits with at most ${AMOUNT_DECIMALS} decimals, no sign or exponent`,
      field,
    );
  }
  return new Money(value);
}

/** As parseAmount, and above zero. */
export function parsePositiveAmount(value: unknown, field: string): Amount {
  const amount = parseAmount(value, field);
  if (amount.isZero()) throw invalid('INVALID_AMOUNT', `${field} must be greater than zero`, field);
  return amount;
}

/** The canonical string of an amount: always two decimals, so equal amounts have equal strings. */
export function formatAmount(amount: Amount): string {
  return amount.toFixed(AMOUNT_DECIMALS);
}

/** An amount read back from a stored event, which was written canonical. */
export function amountOf(canonical: string): Amount {
  return new Money(canonical);
}

export const ZERO: Amount = new Money(0);

export function sumAmounts(amounts: Iterable<Amount>): Amount {
  let total = ZERO;
  for (const amount of amounts) total = total.plus(amount);
  return total;
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
