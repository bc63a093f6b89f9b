import { ConfigurationError, Environment, readInteger, readString } from '@salur/config';
import { BankBics, checkTreasuryAccount, DEFAULT_BANK_BICS, parseBankBics, TreasuryAccount } from './domain';

export interface BankIntegrationConfig {
  /** Where bank files are written (`<dir>/outbound`) and received ones kept (`<dir>/inbound`). */
  readonly filesDir: string;
  readonly bankBics: BankBics;
  /** The programme's treasury account: the debtor of every transfer. */
  readonly treasury: TreasuryAccount;
  /** Largest bank result file accepted, in bytes (POST /bank-results and the ingest job). */
  readonly maxResultFileBytes: number;
  /** Most elements of one XML result file. */
  readonly maxResultElements: number;
  /** Most lines of one result file that may go to the exception queue; more, and the file is refused whole. */
  readonly maxResultExceptions: number;
  /**
   * Largest share of a file's lines, in percent, that may go to the exception queue once more than
   * EXCEPTIONS_ALWAYS_QUEUED of them do; more, and the file is refused whole.
   */
  readonly maxResultExceptionPercent: number;
}

/**
 * Bad lines that never refuse a file by their share alone: a short file with a few of them (3 of
 * 9) is an ordinary day at the bank, while 2,000 of 10,000 is the wrong file.
 */
export const EXCEPTIONS_ALWAYS_QUEUED = 20;

export const BANK_INTEGRATION_CONFIG = Symbol('BANK_INTEGRATION_CONFIG');

export const DEFAULT_TREASURY: TreasuryAccount = {
  name: 'RKUD KABUPATEN MUSI BANYUASIN',
  accountNumber: '0012301000000099',
  bic: 'BRINIDJA',
};

export function bankIntegrationConfigFrom(env: Environment): BankIntegrationConfig {
  let bankBics: BankBics;
  try {
    bankBics = parseBankBics(readString(env, 'BANK_BICS', DEFAULT_BANK_BICS));
  } catch (error) {
    throw new ConfigurationError('BANK_BICS', (error as Error).message);
  }
  const treasury: TreasuryAccount = {
    name: readString(env, 'TREASURY_NAME', DEFAULT_TREASURY.name),
    accountNumber: readString(env, 'TREASURY_ACCOUNT', DEFAULT_TREASURY.accountNumber),
    bic: readString(env, 'TREASURY_BIC', DEFAULT_TREASURY.bic),
  };
  const problem = checkTreasuryAccount(treasury);
  if (problem) {
    const [variable, ...reason] = problem.split(' ');
    throw new ConfigurationError(variable, reason.join(' '));
  }
  return {
    filesDir: readString(env, 'BANK_FILES_DIR', './data/bank-files'),
    bankBics,
    treasury,
    maxResultFileBytes: readInteger(env, 'BANK_RESULT_MAX_BYTES', 64 * 1_048_576, { min: 1_024, max: 1_073_741_824 }),
    maxResultElements: readInteger(env, 'BANK_RESULT_MAX_ELEMENTS', 5_000_000, { min: 100, max: 100_000_000 }),
    maxResultExceptions: readInteger(env, 'BANK_RESULT_MAX_EXCEPTIONS', 500, { min: 0, max: 1_000_000 }),
    maxResultExceptionPercent: readInteger(env, 'BANK_RESULT_MAX_EXCEPTION_PERCENT', 10, { min: 0, max: 100 }),
  };
}
