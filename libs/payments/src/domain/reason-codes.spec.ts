import { BENEFICIARY_SIDE_CODES, classifyReasonCode, DEBTOR_SIDE_CODES } from './reason-codes';

describe('ISO 20022 reason codes by side', () => {
  it.each(['AC01', 'AC04', 'AC06', 'BE01', 'BE04', 'MD07', 'RC01'])('%s is beneficiary-side', (code) =>
    expect(classifyReasonCode(code)).toBe('beneficiary'),
  );
  it.each(['AM04', 'AM05', 'AM07', 'AG01', 'FF01', 'MS03', 'AC13'])('%s is debtor-side', (code) =>
    expect(classifyReasonCode(code)).toBe('debtor'),
  );
  it.each(['NARR', 'MS02', 'CUST', 'ZZ99', 'toString', ''])('%j is unknown', (code) =>
    expect(classifyReasonCode(code)).toBe('unknown'),
  );
  it('puts no code on both sides, and only four-character codes on either', () => {
    const both = Object.keys(BENEFICIARY_SIDE_CODES).filter((code) => Object.hasOwn(DEBTOR_SIDE_CODES, code));
    expect(both).toEqual([]);
    for (const code of [...Object.keys(BENEFICIARY_SIDE_CODES), ...Object.keys(DEBTOR_SIDE_CODES)])
      expect(code).toMatch(/^[A-Z]{2}\d{2}$/);
  });
});
