import type { ValidationError } from 'class-validator';
import { flattenValidationErrors } from './request-validation';

const error = (property: string, constraints: Record<string, string> = {}, children: ValidationError[] = []) =>
  ({ property, constraints, children }) as ValidationError;

describe('flattenValidationErrors', () => {
  it('names nested fields by dotted paths, array items by index', () => {
    const errors = [
      error('amount', { isAmountString: 'amount is not an amount' }),
      error('items', {}, [error('0', {}, [error('period', { isPeriod: 'period must be a period' })])]),
    ];

    expect(flattenValidationErrors(errors).errors).toEqual([
      { field: 'amount', reason: 'amount is not an amount' },
      { field: 'items.0.period', reason: 'period must be a period' },
    ]);
  });

  it('says why an unknown field is refused, and puts type checks before other rules', () => {
    const errors = [
      error('extra', { whitelistValidation: 'property extra should not exist' }),
      error('bankCode', { maxLength: 'bankCode must be shorter', isString: 'bankCode must be a string' }),
    ];

    expect(flattenValidationErrors(errors).errors).toEqual([
      { field: 'extra', reason: 'is not a field this endpoint accepts' },
      { field: 'bankCode', reason: 'bankCode must be a string' },
      { field: 'bankCode', reason: 'bankCode must be shorter' },
    ]);
  });

  it('stops listing at the limit and counts the rest', () => {
    const errors = Array.from({ length: 60 }, (_, index) => error(`f${index}`, { isString: 'must be a string' }));

    const flat = flattenValidationErrors(errors, 50);

    expect(flat.errors).toHaveLength(50);
    expect(flat.omitted).toBe(10);
  });

  it('walks a deep error tree without recursion', () => {
    let deepest = error('leaf', { isString: 'must be a string' });
    for (let level = 0; level < 20_000; level++) deepest = error('n', {}, [deepest]);

    expect(flattenValidationErrors([deepest]).errors).toHaveLength(1);
  });
});
