import { DomainError } from '@salur/kernel';

/**
 * The migration will not run (or go on) as asked: the message says why and what to do. Nothing
 * was written after the refusal's cause was found; a rerun resumes where the last one stopped.
 */
export class MigrationRefusedError extends DomainError {
  constructor(message: string) {
    super('conflict', 'MIGRATION_REFUSED', message);
    this.name = 'MigrationRefusedError';
  }
}
