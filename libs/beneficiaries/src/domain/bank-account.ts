import { invalid } from '@salur/kernel';
import { parsePersonName } from './person-name';

/** Where a benefit is paid. Every part is a string: account numbers keep their leading zeros. */
export interface BankAccount {
  /** Indonesian 3-digit clearing code, e.g. '002' BRI, '008' Mandiri, '009' BNI. */
  readonly bankCode: string;
  /** 6..20 digits. */
  readonly accountNumber: string;
  readonly accountHolderName: string;
}

const BANK_CODE = /^[0-9]{3}$/;
const ACCOUNT_NUMBER = /^[0-9]{6,20}$/;

export function parseBankAccount(value: unknown, field = 'bankAccount'): BankAccount {
  if (typeof value !== 'object' || value === null) {
    throw invalid('INVALID_BANK_ACCOUNT', `${field} must be an object`, field);
  }
  const { bankCode, accountNumber, accountHolderName } = value as Partial<Record<keyof BankAccount, unknown>>;
  if (typeof bankCode !== 'string' || !BANK_CODE.test(bankCode)) {
    throw invalid('INVALID_BANK_ACCOUNT', 'bankCode must be a 3-digit clearing code', `${field}.bankCode`);
  }
  if (typeof accountNumber !== 'string' || !ACCOUNT_NUMBER.test(accountNumber)) {
    throw invalid('INVALID_BANK_ACCOUNT', 'accountNumber must be a string of 6 to 20 digits', `${field}.accountNumber`);
  }
  const holder = parsePersonName(accountHolderName, `${field}.accountHolderName`, 'INVALID_BANK_ACCOUNT');
  return { bankCode, accountNumber, accountHolderName: holder };
}

export function sameBankAccount(left: BankAccount, right: BankAccount): boolean {
  return (
    left.bankCode === right.bankCode &&
    left.accountNumber === right.accountNumber &&
    left.accountHolderName === right.accountHolderName
  );
}
