import { amountOf, formatAmount } from '@salur/kernel';

/** Money in the read models: canonical decimal strings, added and subtracted in decimal, never as floats. */
export const ZERO_AMOUNT = '0.00';

export function plus(left: string, right: string): string {
  return formatAmount(amountOf(left).plus(amountOf(right)));
}

export function minus(left: string, right: string): string {
  return formatAmount(amountOf(left).minus(amountOf(right)));
}

export function sum(amounts: readonly string[]): string {
  return formatAmount(amounts.reduce((total, amount) => total.plus(amountOf(amount)), amountOf(ZERO_AMOUNT)));
}
