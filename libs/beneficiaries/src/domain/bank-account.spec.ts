import { parseBankAccount, sameBankAccount } from './bank-account';
import { parsePersonName } from './person-name';

describe('parseBankAccount', () => {
  it('keeps leading zeros of the account number and trims the holder name', () => {
    expect(
      parseBankAccount({ bankCode: '002', accountNumber: '001901000378301', accountHolderName: ' Siti ' }),
    ).toEqual({
      bankCode: '002',
      accountNumber: '001901000378301',
      accountHolderName: 'Siti',
    });
  });

  it.each([
    ['bankAccount', null],
    ['bankAccount', '002-0019010003'],
    ['bankAccount.bankCode', { bankCode: '02', accountNumber: '1234567', accountHolderName: 'Siti' }],
    ['bankAccount.bankCode', { bankCode: 'BRI', accountNumber: '1234567', accountHolderName: 'Siti' }],
    ['bankAccount.bankCode', { bankCode: 2, accountNumber: '1234567', accountHolderName: 'Siti' }],
    ['bankAccount.accountNumber', { bankCode: '002', accountNumber: '12345', accountHolderName: 'Siti' }],
    ['bankAccount.accountNumber', { bankCode: '002', accountNumber: '1'.repeat(21), accountHolderName: 'Siti' }],
    ['bankAccount.accountNumber', { bankCode: '002', accountNumber: '1234-5678', accountHolderName: 'Siti' }],
    ['bankAccount.accountNumber', { bankCode: '002', accountNumber: 12345678, accountHolderName: 'Siti' }],
    ['bankAccount.accountHolderName', { bankCode: '002', accountNumber: '1234567', accountHolderName: ' ' }],
    [
      'bankAccount.accountHolderName',
      { bankCode: '002', accountNumber: '1234567', accountHolderName: 'S'.repeat(101) },
    ],
    ['bankAccount.accountHolderName', { bankCode: '002', accountNumber: '1234567', accountHolderName: 'Siti\u0085' }],
  ])('refuses an account with a bad %s', (field, account) => {
    expect(() => parseBankAccount(account)).toThrow(
      expect.objectContaining({ code: 'INVALID_BANK_ACCOUNT', kind: 'invalid', field }),
    );
  });

  it('compares all three parts', () => {
    const account = { bankCode: '009', accountNumber: '0123456789', accountHolderName: 'Siti' };
    expect(sameBankAccount(account, { ...account })).toBe(true);
    expect(sameBankAccount(account, { ...account, accountNumber: '123456789' })).toBe(false);
    expect(sameBankAccount(account, { ...account, accountHolderName: 'Siti Aminah' })).toBe(false);
  });
});

describe('parsePersonName', () => {
  it('trims, normalises to NFC and counts characters, not UTF-16 units', () => {
    expect(parsePersonName('  Nurul\u0020Hida\u0079ah ')).toBe('Nurul Hidayah');
    expect(parsePersonName('Sé\u0301'.normalize('NFD'))).toBe('Sé\u0301'.normalize('NFC'));
    expect(parsePersonName('𝓐'.repeat(100))).toHaveLength(200);
  });

  it.each([
    ['empty', ''],
    ['101 characters', 'a'.repeat(101)],
    ['a NUL', 'Siti\u0000'],
    ['a DEL', 'Siti\u007f'],
    ['a newline inside', 'Siti\nAminah'],
  ])('refuses a name that is %s', (_, name) => {
    expect(() => parsePersonName(name)).toThrow(
      expect.objectContaining({ code: 'INVALID_NAME', kind: 'invalid', field: 'name' }),
    );
  });
});
