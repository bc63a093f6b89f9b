import { personOf, registryCsv } from '../load/people';

/** The demo's programme: a monthly cash transfer of Musi Banyuasin regency (16.06). */
export const PROGRAMME = {
  code: 'BANTU-UMAK',
  name: 'Bantuan Langsung Tunai Warga Miskin Ekstrem',
  fiscalYear: 2026,
  budgetCeiling: '20000000000.00',
  benefitAmount: '600000.00',
  currency: 'IDR',
} as const;
export const PROGRAMME_ID = `${PROGRAMME.code}-${PROGRAMME.fiscalYear}`;
export const PERIOD = '2026-11';

export interface Person {
  readonly nik: string;
  readonly kk: string;
  readonly name: string;
  readonly regionCode: string;
  readonly bankCode: string;
  readonly accountNumber: string;
}

/**
 * Synthetic person number `n`, the load test's (tools/load/people.ts): a valid NIK, a KK, a 15-digit
 * account. The name ends with `n`, which is how the demo finds the person again behind a
 * beneficiary id.
 */
export function person(n: number): Person {
  const { nik, kk, name, regionCode, bankAccount } = personOf(n);
  return { nik, kk, name, regionCode, bankCode: bankAccount.bankCode, accountNumber: bankAccount.accountNumber };
}

/** Person `n`'s account; `version` 1 is the one opened at the branch after the bank refused 0. */
export function account(n: number, version: number): string {
  return `${String(version).padStart(2, '0')}${String(190_100_000_000 + n).padStart(13, '0')}`;
}

/** The number of the person behind an enrolled name (see `person`). */
export function personNumberOf(name: string): number | undefined {
  const match = / (\d+)$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Registry extract rows (CSV) for people `first` to `last`, inclusive. */
export function registryExtract(first: number, last: number): string {
  return registryCsv(first, last - first + 1);
}
