import { DomainError } from '@salur/kernel';
import { UnrecoverableError } from 'bullmq';

/** The reason an error will fail the same way on every attempt, or undefined when a retry may help. */
export type PermanentReasonOf = (error: unknown) => string | undefined;

/**
 * Runs a job's work and tells BullMQ which failures are permanent: a broken business rule (and
 * whatever else `permanentReasonOf` names, a bank file that does not add up) fails the same way
 * on every attempt, so it ends the job at once (UnrecoverableError); anything else (the store or
 * Redis away, a lost race) is retried with exponential backoff.
 */
export async function failingPermanentlyOnRules<T>(
  work: () => Promise<T>,
  permanentReasonOf: PermanentReasonOf = () => undefined,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) throw new UnrecoverableError(`${error.code}: ${error.message}`);
    const reason = permanentReasonOf(error);
    if (reason !== undefined) throw new UnrecoverableError(reason);
    throw error;
  }
}
