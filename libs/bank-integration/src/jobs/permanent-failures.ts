import { DomainError } from '@salur/kernel';
import { UnrecoverableError } from 'bullmq';
import { BankFileContentError, BankFileRefusedError } from '../domain';

/**
 * Runs a job's work and tells BullMQ which failures are permanent: a broken business rule, a
 * file that does not add up or that is refused will fail the same way on every attempt, so
 * they end the job at once (UnrecoverableError); anything else (the store or Redis away, a
 * lost race) is retried with exponential backoff.
 */
export async function failingPermanentlyOnRules<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) throw new UnrecoverableError(`${error.code}: ${error.message}`);
    if (error instanceof BankFileRefusedError) throw new UnrecoverableError(`${error.code}: ${error.message}`);
    if (error instanceof BankFileContentError) throw new UnrecoverableError(`BANK_FILE_CONTENT: ${error.message}`);
    throw error;
  }
}
