/**
 * How a broken rule is reported to the caller. Each kind maps to one HTTP status in the one
 * exception filter: invalid 400, forbidden 403, not-found 404, conflict 409, rule 422.
 */
export type DomainErrorKind = 'invalid' | 'forbidden' | 'not-found' | 'conflict' | 'rule';

/** A business rule said no. The code is stable (clients and tests match on it); nothing was written. */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    /** The input field at fault, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (code: string, message: string, field?: string) =>
  new DomainError('invalid', code, message, field);
export const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);
export const notFound = (code: string, message: string) => new DomainError('not-found', code, message);
export const conflict = (code: string, message: string, field?: string) =>
  new DomainError('conflict', code, message, field);
export const ruleBroken = (code: string, message: string, field?: string) =>
  new DomainError('rule', code, message, field);
