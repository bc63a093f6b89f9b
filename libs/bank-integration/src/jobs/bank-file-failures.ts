import { BankFileContentError, BankFileRefusedError } from '../domain';

/** A file that is refused or does not add up fails the same way on every attempt. */
export function bankFileFailureReason(error: unknown): string | undefined {
  if (error instanceof BankFileRefusedError) return `${error.code}: ${error.message}`;
  if (error instanceof BankFileContentError) return `BANK_FILE_CONTENT: ${error.message}`;
  return undefined;
}
