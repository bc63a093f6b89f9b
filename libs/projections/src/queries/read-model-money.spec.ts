import fc from 'fast-check';
import { amountOf, formatAmount } from '@salur/kernel';
import { amountOfCents, centsOf, minus, moved, plus, sum } from './read-model-money';

/** Canonical amounts as the deciders write them, up to the ledger's bound, and their negatives. */
const canonical = fc
  .tuple(fc.bigInt({ min: 0n, max: 999_999_999_999_999n }), fc.integer({ min: 0, max: 99 }), fc.boolean())
  .map(([whole, cents, negative]) => `${negative ? '-' : ''}${whole}.${String(cents).padStart(2, '0')}`);
/** Text decimal.js reads but that is not canonical: the slow path must agree too. */
const unusual = fc.constantFrom('600000', '0.5', '12.345', '1e3', '-7');

const decimal = {
  moved(amount: string, added?: string, removed?: string): string {
    let total = amountOf(amount);
    if (added !== undefined) total = total.plus(amountOf(added));
    if (removed !== undefined) total = total.minus(amountOf(removed));
    return formatAmount(total);
  },
};

describe('read-model money', () => {
  it('adds and subtracts canonical amounts exactly as decimal.js does (property)', () => {
    fc.assert(
      fc.property(
        canonical,
        fc.option(canonical, { nil: undefined }),
        fc.option(canonical, { nil: undefined }),
        (a, b, c) => {
          expect(moved(a, b, c)).toBe(decimal.moved(a, b, c));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('falls back to decimal.js for text that is not canonical', () => {
    fc.assert(
      fc.property(fc.oneof(canonical, unusual), unusual, (a, b) => {
        expect(plus(a, b)).toBe(decimal.moved(a, b));
        expect(minus(b, a)).toBe(decimal.moved(b, undefined, a));
      }),
    );
  });

  it('reads only canonical text as cents and writes cents back canonically', () => {
    expect(centsOf('600000.00')).toBe(60_000_000n);
    expect(centsOf('-0.05')).toBe(-5n);
    expect(['600000', '0.5', '1.005', '01.00', '1e3', ' 1.00', '+1.00', ''].map(centsOf)).toEqual(
      Array(8).fill(undefined),
    );
    expect([0n, 5n, -5n, 100n, -12_345n, 99_999_999_999_999_999n].map(amountOfCents)).toEqual([
      '0.00',
      '0.05',
      '-0.05',
      '1.00',
      '-123.45',
      '999999999999999.99',
    ]);
  });

  it('sums a million cents to exactly ten thousand', () => {
    expect(sum(Array.from({ length: 1_000_000 }, () => '0.01'))).toBe('10000.00');
  });
});
