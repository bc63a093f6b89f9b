import { BadRequestException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { AppendTooLargeError, WrongExpectedRevisionError } from '@salur/event-store';
import { conflict, forbidden, invalid, notFound, ruleBroken } from '@salur/kernel';
import { IdempotencyInProgressError } from '../idempotency/idempotency-errors';
import { errorAnswerOf, INTERNAL_ERROR_MESSAGE } from './error-response';
import { RequestValidationError } from './request-validation';

describe('errorAnswerOf', () => {
  it.each([
    [invalid('INVALID_NIK', 'NIK must be 16 digits', 'nik'), 400, { field: 'nik' }],
    [forbidden('MAKER_CANNOT_APPROVE', 'The maker of a batch cannot approve it'), 403, {}],
    [notFound('BATCH_NOT_FOUND', 'No batch b-1'), 404, {}],
    [conflict('PROGRAMME_EXISTS', 'Programme BANTU-UMAK-2026 exists', 'code'), 409, { field: 'code' }],
    [ruleBroken('BUDGET_EXCEEDED', 'Over the ceiling'), 422, {}],
  ])('answers a DomainError by its kind: %s → %s', (error, status, extra) => {
    expect(errorAnswerOf(error)).toEqual({
      status,
      body: { statusCode: status, code: error.code, message: error.message, ...extra },
      unexpected: false,
    });
  });

  it('answers a lost optimistic race 409 CONCURRENCY_CONFLICT', () => {
    expect(errorAnswerOf(new WrongExpectedRevisionError('batch-1', 2, 3))).toMatchObject({
      status: 409,
      body: { code: 'CONCURRENCY_CONFLICT' },
    });
  });

  it('answers an append over the store limit 413', () => {
    expect(errorAnswerOf(new AppendTooLargeError('batch-1', 2_000_000, 1_048_576))).toMatchObject({
      status: 413,
      body: { statusCode: 413, code: 'APPEND_TOO_LARGE' },
    });
  });

  it('answers a validation failure 400 VALIDATION_FAILED with every field and the first at the top', () => {
    const error = new RequestValidationError(
      [
        { field: 'amount', reason: 'not an amount' },
        { field: 'items.0.period', reason: 'not a period' },
      ],
      0,
    );

    expect(errorAnswerOf(error).body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'The request is not valid: amount: not an amount; items.0.period: not a period',
      field: 'amount',
      reason: 'not an amount',
      errors: error.errors,
    });
  });

  it('answers a key in use 409 IDEMPOTENCY_IN_PROGRESS', () => {
    expect(errorAnswerOf(new IdempotencyInProgressError(2)).body).toMatchObject({
      statusCode: 409,
      code: 'IDEMPOTENCY_IN_PROGRESS',
    });
  });

  it('keeps the status of Nest exceptions, and their code when they carry one', () => {
    expect(errorAnswerOf(new NotFoundException('Cannot GET /x')).body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'Cannot GET /x',
    });
    expect(
      errorAnswerOf(new ServiceUnavailableException({ code: 'QUEUE_UNAVAILABLE', message: 'Set REDIS_URL' })),
    ).toMatchObject({ status: 503, body: { code: 'QUEUE_UNAVAILABLE', message: 'Set REDIS_URL' }, unexpected: false });
    expect(errorAnswerOf(new BadRequestException(['a is wrong', 'b is wrong'])).body.message).toBe(
      'a is wrong; b is wrong',
    );
  });

  it("answers the body parser's own errors when they arrive untranslated", () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413 });

    expect(errorAnswerOf(tooLarge).body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers anything else 500 INTERNAL_ERROR with a generic message, marked for logging', () => {
    const answer = errorAnswerOf(new TypeError("Cannot read properties of undefined (reading 'secret')"));

    expect(answer).toEqual({
      status: 500,
      body: { statusCode: 500, code: 'INTERNAL_ERROR', message: INTERNAL_ERROR_MESSAGE },
      unexpected: true,
    });
  });
});
