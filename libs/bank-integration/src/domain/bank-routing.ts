/**
 * Where the money comes from and how each beneficiary's bank is addressed: the programme's
 * treasury account (the debtor of every transfer) and the BIC of each Indonesian clearing code.
 * Both come from configuration (BANK_BICS, TREASURY_*); this module only checks and looks up.
 */
export interface TreasuryAccount {
  readonly name: string;
  /** Digits as a string: leading zeros matter. */
  readonly accountNumber: string;
  readonly bic: string;
}

export type BankBics = ReadonlyMap<string, string>;

/** ISO 9362 BIC (BICFIDec2014Identifier), 8 or 11 characters. */
export const BIC_PATTERN = /^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/;
const BANK_CODE = /^[0-9]{3}$/;
const ACCOUNT_NUMBER = /^[0-9]{6,34}$/;

export const DEFAULT_BANK_BICS = '002:BRINIDJA,008:BMRIIDJA,009:BNINIDJA,014:CENAIDJA';

/** `002:BRINIDJA,008:BMRIIDJA`; throws an Error naming the bad entry. */
export function parseBankBics(text: string): BankBics {
  const bics = new Map<string, string>();
  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [code, bic, extra] = entry.split(':').map((part) => part.trim());
    if (extra !== undefined || !BANK_CODE.test(code ?? '') || !BIC_PATTERN.test(bic ?? '')) {
      throw new Error(`'${entry}' is not <3-digit bank code>:<BIC>`);
    }
    if (bics.has(code)) throw new Error(`bank code ${code} is listed twice`);
    bics.set(code, bic);
  }
  if (bics.size === 0) throw new Error('lists no bank');
  return bics;
}

export function checkTreasuryAccount(account: TreasuryAccount): string | undefined {
  if (!ACCOUNT_NUMBER.test(account.accountNumber)) return 'TREASURY_ACCOUNT must be 6 to 34 digits';
  if (!BIC_PATTERN.test(account.bic)) return 'TREASURY_BIC is not a BIC (8 or 11 characters)';
  if (account.name.trim().length === 0 || account.name.length > 140) return 'TREASURY_NAME must be 1 to 140 characters';
  return undefined;
}
