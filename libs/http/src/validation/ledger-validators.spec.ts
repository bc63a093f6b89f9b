import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsAmountString, IsPeriod, IsUuidV4OrV5 } from './ledger-validators';

class Payment {
  @IsAmountString()
  amount!: string;

  @IsAmountString({ positive: true })
  benefit!: string;

  @IsPeriod()
  period!: string;

  @IsUuidV4OrV5()
  id!: string;
}

const valid = { amount: '0', benefit: '600000.50', period: '2026-Q4', id: '2ed6657d-e927-568b-95e1-2665a8aea6a2' };

function reasons(input: object): Record<string, string[]> {
  const errors = validateSync(plainToInstance(Payment, input));
  return Object.fromEntries(errors.map((error) => [error.property, Object.values(error.constraints ?? {})]));
}

describe('ledger validators', () => {
  it('accepts valid values', () => {
    expect(reasons(valid)).toEqual({});
    expect(reasons({ ...valid, period: '2026-11', id: 'c0a8e1f4-3b2d-4e6f-9a1b-2c3d4e5f6a7b' })).toEqual({});
  });

  // The same cases as the kernel's parseAmount: the validator is that function, not a copy of it.
  it.each([600000, '1.005', '6e5', '-1', '+1', '0600000', 'NaN', ' 1', '1,5', '1.', '', '1000000000000000', null])(
    'refuses the amount %p with the kernel’s reason',
    (amount) => {
      expect(reasons({ ...valid, amount }).amount?.[0]).toMatch(
        amount === null ? /amount is required/ : /^amount .*(decimal string|is not an amount)/,
      );
    },
  );

  it('refuses zero where the amount must be positive', () => {
    expect(reasons({ ...valid, benefit: '0.00' })).toEqual({ benefit: ['benefit must be greater than zero'] });
  });

  it.each(['2026-13', '2026-00', '2026-Q5', '2026-q4', '26-11', '0999-01', '2026-1', 202611])(
    'refuses the period %p',
    (period) => {
      expect(reasons({ ...valid, period }).period).toEqual([
        'period must be a period: a month (2026-11), a quarter (2026-Q4) or a one-off (2026-ONE)',
      ]);
    },
  );

  it.each([
    ['upper case', '2ED6657D-E927-568B-95E1-2665A8AEA6A2'],
    ['version 1', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'],
    ['no dashes', '2ed6657de927568b95e12665a8aea6a2'],
    ['a number', 42],
  ])('refuses an id in %s', (_, id) => {
    expect(reasons({ ...valid, id }).id).toEqual(['id must be a lower-case UUID (version 4 or 5)']);
  });

  it('says a missing value is required', () => {
    expect(reasons({ amount: '1' })).toMatchObject({
      benefit: ['benefit is required'],
      period: ['period is required'],
      id: ['id is required'],
    });
  });
});
