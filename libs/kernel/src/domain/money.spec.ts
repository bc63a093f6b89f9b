import fc from 'fast-check';
import { formatAmount, parseAmount, parsePositiveAmount, sumAmounts } from './money';

describe('money', () => {
  it.each(['0', '1', '600000', '600000.5', '600000.50', '999999999999999.99'])('accepts %s', (text) => {
    expect(() => parseAmount(text, 'amount')).not.toThrow();
  });

  it.each([
    ['a number', 600000],
    ['a float string with 3 decimals', '1.005'],
    ['an exponent', '6e5'],
    ['a negative', '-1'],
    ['a plus sign', '+1'],
    ['leading zeros', '0600000'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['spaces', ' 1'],
    ['a comma', '1,5'],
    ['a trailing dot', '1.'],
    ['an empty string', ''],
    ['16 integer digits', '1000000000000000'],
    ['null', null],
  ])('refuses %s with INVALID_AMOUNT naming the field', (_, value) => {
    expect(() => parseAmount(value, 'benefitAmount')).toThrow(
      expect.objectContaining({ code: 'INVALID_AMOUNT', kind: 'invalid', field: 'benefitAmount' }),
    );
  });

  it('refuses zero where an amount must be positive', () => {
    expect(() => parsePositiveAmount('0.00', 'amount')).toThrow(expect.objectContaining({ code: 'INVALID_AMOUNT' }));
  });

  it('formats canonically with two decimals and adds exactly', () => {
    expect(formatAmount(parseAmount('600000', 'a'))).toBe('600000.00');
    expect(formatAmount(sumAmounts(['0.10', '0.20'].map((text) => parseAmount(text, 'a'))))).toBe('0.30');
  });

  it('round-trips every valid amount string exactly (property)', () => {
    const amountText = fc
      .tuple(fc.bigInt({ min: 0n, max: 999_999_999_999_999n }), fc.integer({ min: 0, max: 99 }))
      .map(([whole, cents]) => `${whole}.${String(cents).padStart(2, '0')}`);
    fc.assert(fc.property(amountText, (text) => formatAmount(parseAmount(text, 'a')) === text));
  });

  it('adds a million cents to exactly ten thousand rupiah (no float drift)', () => {
    const cent = parseAmount('0.01', 'a');
    expect(formatAmount(sumAmounts(Array.from({ length: 1_000_000 }, () => cent)))).toBe('10000.00');
  });
});
