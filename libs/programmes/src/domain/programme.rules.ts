import { invalid } from '@salur/kernel';

/** An upper-case code such as PKH or BANTU-UMAK; it becomes part of the programme id and of stream names. */
const PROGRAMME_CODE = /^[A-Z][A-Z0-9-]{1,31}$/;
export const FISCAL_YEAR_MIN = 2000;
export const FISCAL_YEAR_MAX = 2100;
export const PROGRAMME_NAME_MAX_LENGTH = 200;
export const REASON_MAX_LENGTH = 500;
/** Programmes pay rupiah into Indonesian accounts; another currency would be a different product. */
export const PROGRAMME_CURRENCY = 'IDR';

export function parseProgrammeCode(value: unknown): string {
  if (typeof value !== 'string' || !PROGRAMME_CODE.test(value)) {
    throw invalid(
      'INVALID_PROGRAMME_CODE',
      'code must be 2 to 32 characters: an upper-case letter, then upper-case letters, digits or hyphens',
      'code',
    );
  }
  return value;
}

export function parseFiscalYear(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < FISCAL_YEAR_MIN || value > FISCAL_YEAR_MAX) {
    throw invalid(
      'INVALID_FISCAL_YEAR',
      `fiscalYear must be an integer from ${FISCAL_YEAR_MIN} to ${FISCAL_YEAR_MAX}`,
      'fiscalYear',
    );
  }
  return value;
}

/** The id is derived, not chosen, so a second programme with the same code and year cannot exist. */
export function programmeIdFor(code: string, fiscalYear: number): string {
  return `${code}-${fiscalYear}`;
}

export function requireDerivedProgrammeId(value: unknown, code: string, fiscalYear: number): string {
  const expected = programmeIdFor(code, fiscalYear);
  if (value !== expected) {
    throw invalid('PROGRAMME_ID_MISMATCH', `programmeId must be '${expected}' (code-fiscalYear)`, 'programmeId');
  }
  return expected;
}

export function parseCurrency(value: unknown): typeof PROGRAMME_CURRENCY {
  if (value !== PROGRAMME_CURRENCY) {
    throw invalid('UNSUPPORTED_CURRENCY', `currency must be '${PROGRAMME_CURRENCY}'`, 'currency');
  }
  return PROGRAMME_CURRENCY;
}
