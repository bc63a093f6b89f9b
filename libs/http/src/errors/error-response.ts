import { HttpException, HttpStatus } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DependencyUnavailableError, type DependencyName } from '@salur/config';
import { AppendTooLargeError, WrongExpectedRevisionError } from '@salur/event-store';
import { DomainError, DomainErrorKind } from '@salur/kernel';
import { IdempotencyInProgressError } from '../idempotency/idempotency-errors';
import { RequestValidationError } from './request-validation';

export class FieldErrorResponse {
  @ApiProperty({ example: 'benefitAmount', description: 'The input at fault; nested fields as dotted paths' })
  readonly field!: string;

  @ApiProperty({ example: "benefitAmount '6e5' is not an amount: digits with at most 2 decimals, no sign or exponent" })
  readonly reason!: string;
}

/** The one error shape of the API. Clients match on `code`, which never changes meaning. */
export class ErrorResponse {
  @ApiProperty({ example: 400 })
  readonly statusCode!: number;

  @ApiProperty({ example: 'VALIDATION_FAILED' })
  readonly code!: string;

  @ApiProperty({ example: 'The request is not valid: benefitAmount: must be a decimal string' })
  readonly message!: string;

  @ApiPropertyOptional({ description: 'The input at fault, when there is one' })
  readonly field?: string;

  @ApiPropertyOptional({ description: 'Why that input was refused' })
  readonly reason?: string;

  @ApiPropertyOptional({ type: [FieldErrorResponse] })
  readonly errors?: readonly FieldErrorResponse[];
}

export type ErrorBody = {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
  readonly field?: string;
  readonly reason?: string;
  readonly errors?: ReadonlyArray<{ readonly field: string; readonly reason: string }>;
};

export interface ErrorAnswer {
  readonly status: number;
  readonly body: ErrorBody;
  /** A bug or an outage rather than an answer: logged with its stack, never shown to the caller. */
  readonly unexpected: boolean;
  /** For the operator's log only (a driver's reason for an outage): never shown to the caller. */
  readonly logDetail?: string;
  /** Seconds after which a retry may succeed (sent as Retry-After). */
  readonly retryAfterSeconds?: number;
}

/** A dependency that is away usually comes back within seconds (a restart, a failover). */
const RETRY_AFTER_UNAVAILABLE_SECONDS = 5;

const UNAVAILABLE_MESSAGES: Readonly<Record<DependencyName, string>> = {
  'event-store': 'The event store cannot be reached right now; nothing was written. Try again later.',
  'read-models': 'The read-model database cannot be reached right now; nothing was written. Try again later.',
  'audit-log': 'The audit log database cannot be reached right now; nothing was signed. Try again later.',
  'key-store': 'The personal-data key store cannot be reached right now; nothing was written. Try again later.',
  'idempotency-store':
    'The idempotency records cannot be reached right now, so a retry could not be recognised; nothing was written. Try again later.',
  queue: 'The job queue (Redis) cannot be reached right now; no job was started. Try again later.',
};

export const STATUS_OF_KIND: Readonly<Record<DomainErrorKind, number>> = {
  invalid: HttpStatus.BAD_REQUEST,
  forbidden: HttpStatus.FORBIDDEN,
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  rule: HttpStatus.UNPROCESSABLE_ENTITY,
};

export const INTERNAL_ERROR_MESSAGE =
  'An unexpected error occurred; it has been logged. Quote the X-Correlation-Id of this answer when reporting it.';

/** How any thrown value is answered over HTTP: the exception filter and the idempotency records share it. */
export function errorAnswerOf(error: unknown): ErrorAnswer {
  if (error instanceof DomainError) {
    const status = STATUS_OF_KIND[error.kind];
    return answer(status, { code: error.code, message: error.message, field: error.field });
  }
  if (error instanceof RequestValidationError) {
    const [first] = error.errors;
    return answer(HttpStatus.BAD_REQUEST, {
      code: 'VALIDATION_FAILED',
      message: error.message,
      field: first?.field,
      reason: first?.reason,
      errors: error.errors,
    });
  }
  if (error instanceof DependencyUnavailableError) {
    return {
      ...answer(HttpStatus.SERVICE_UNAVAILABLE, { code: error.code, message: UNAVAILABLE_MESSAGES[error.dependency] }),
      logDetail: error.reason,
      retryAfterSeconds: RETRY_AFTER_UNAVAILABLE_SECONDS,
    };
  }
  if (error instanceof WrongExpectedRevisionError) {
    return answer(HttpStatus.CONFLICT, {
      code: 'CONCURRENCY_CONFLICT',
      message: 'The record changed while this request was being decided; nothing was written. Retry the request.',
    });
  }
  if (error instanceof AppendTooLargeError) {
    return answer(HttpStatus.PAYLOAD_TOO_LARGE, {
      code: 'APPEND_TOO_LARGE',
      message: `The request would record ${error.sizeBytes} bytes at once, over the limit of ${error.limitBytes}; nothing was written.`,
    });
  }
  if (error instanceof IdempotencyInProgressError) {
    return answer(HttpStatus.CONFLICT, { code: error.code, message: error.message, field: 'Idempotency-Key' });
  }
  if (error instanceof HttpException) return httpExceptionAnswer(error);
  const parserError = bodyParserAnswer(error);
  if (parserError) return parserError;
  return {
    ...answer(HttpStatus.INTERNAL_SERVER_ERROR, { code: 'INTERNAL_ERROR', message: INTERNAL_ERROR_MESSAGE }),
    unexpected: true,
  };
}

function answer(status: number, body: Omit<ErrorBody, 'statusCode'>): ErrorAnswer {
  return { status, body: withoutUndefined({ statusCode: status, ...body }), unexpected: false };
}

/** Nest's own exceptions keep their status; a body with a `code` (as our guards throw) keeps it too. */
function httpExceptionAnswer(error: HttpException): ErrorAnswer {
  const status = error.getStatus();
  const response = error.getResponse();
  const details = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
  const message = messageOf(details.message) ?? (typeof response === 'string' ? response : error.message);
  return answer(status, {
    code: typeof details.code === 'string' ? details.code : codeOfStatus(status),
    message,
    field: typeof details.field === 'string' ? details.field : undefined,
    reason: typeof details.reason === 'string' ? details.reason : undefined,
  });
}

/** Body-parser errors that reach the filter untranslated (an app that did not use useJsonBodyParser). */
function bodyParserAnswer(error: unknown): ErrorAnswer | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, status } = error as { type?: unknown; status?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number' || status < 400 || status > 499) return undefined;
  if (type === 'entity.too.large') return payloadTooLarge();
  if (type === 'entity.parse.failed') return malformedJson();
  return answer(status, { code: codeOfStatus(status), message: `The request body could not be read (${type})` });
}

export function payloadTooLarge(limitBytes?: number): ErrorAnswer {
  return answer(HttpStatus.PAYLOAD_TOO_LARGE, {
    code: 'PAYLOAD_TOO_LARGE',
    message:
      limitBytes === undefined
        ? 'The request body is too large'
        : `The request body is over the limit of ${limitBytes} bytes`,
  });
}

export function malformedJson(): ErrorAnswer {
  return answer(HttpStatus.BAD_REQUEST, {
    code: 'MALFORMED_JSON',
    message: 'The request body is not valid JSON (a JSON object or array is expected)',
  });
}

function messageOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join('; ');
  return undefined;
}

/** 404 → NOT_FOUND, 503 → SERVICE_UNAVAILABLE: Nest's HttpStatus names. */
export function codeOfStatus(status: number): string {
  const name = (HttpStatus as unknown as Record<number, string | undefined>)[status];
  return name ?? (status >= 500 ? 'INTERNAL_ERROR' : 'REQUEST_FAILED');
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}
