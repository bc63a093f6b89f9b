import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

/** A 400 never lists more than this many fields: enough to fix a request, bounded for a hostile one. */
export const MAX_REPORTED_FIELD_ERRORS = 50;

export interface FieldError {
  readonly field: string;
  readonly reason: string;
}

/** class-validator refused the request's body, query or parameters; answered 400 VALIDATION_FAILED. */
export class RequestValidationError extends Error {
  constructor(
    readonly errors: readonly FieldError[],
    /** Errors found beyond MAX_REPORTED_FIELD_ERRORS and left out. */
    readonly omitted: number,
  ) {
    const listed = errors.map(({ field, reason }) => `${field}: ${reason}`).join('; ');
    super(`The request is not valid: ${listed}${omitted > 0 ? ` (and ${omitted} more)` : ''}`);
    this.name = 'RequestValidationError';
  }
}

/**
 * One { field, reason } per failed constraint, nested fields as dotted paths ('items.0.amount').
 * Walks with an explicit stack: a deep body cannot overflow the call stack.
 */
export function flattenValidationErrors(
  errors: readonly ValidationError[],
  limit = MAX_REPORTED_FIELD_ERRORS,
): { errors: FieldError[]; omitted: number } {
  const flat: FieldError[] = [];
  let omitted = 0;
  const pending: Array<{ error: ValidationError; path: string }> = errors
    .map((error) => ({ error, path: String(error.property) }))
    .reverse();
  while (pending.length > 0) {
    const { error, path } = pending.pop()!;
    for (const [constraint, message] of typeChecksFirst(Object.entries(error.constraints ?? {}))) {
      if (flat.length < limit) flat.push({ field: path, reason: reasonOf(constraint, message) });
      else omitted++;
    }
    const children = error.children ?? [];
    for (let index = children.length - 1; index >= 0; index--) {
      pending.push({ error: children[index], path: `${path}.${String(children[index].property)}` });
    }
  }
  return { errors: flat, omitted };
}

/**
 * class-validator checks a field's rules in reverse order of writing; a number given for a
 * string field would first be told it is too long. The type check says what is really wrong.
 */
const TYPE_CHECKS = new Set([
  'whitelistValidation',
  'isDefined',
  'isString',
  'isNumber',
  'isInt',
  'isBoolean',
  'isArray',
  'isObject',
  'nestedValidation',
]);

function typeChecksFirst(constraints: Array<[string, string]>): Array<[string, string]> {
  return [
    ...constraints.filter(([name]) => TYPE_CHECKS.has(name)),
    ...constraints.filter(([name]) => !TYPE_CHECKS.has(name)),
  ];
}

function reasonOf(constraint: string, message: string): string {
  // class-validator's wording ("property x should not exist") repeats the field and hides why.
  if (constraint === 'whitelistValidation') return 'is not a field this endpoint accepts';
  return message;
}

/**
 * The global pipe: only declared fields (unknown ones refused, not silently dropped), no
 * implicit conversion (a number where a string is expected fails rather than being turned
 * into "600000"), every failed rule listed (at most MAX_REPORTED_FIELD_ERRORS), DTO instances out.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors: ValidationError[]) => {
      const flat = flattenValidationErrors(errors);
      return new RequestValidationError(flat.errors, flat.omitted);
    },
  });
}
