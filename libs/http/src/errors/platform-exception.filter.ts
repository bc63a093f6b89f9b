import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import { PlatformRequest, requestPath, requestStateOf } from '../context/request-state';
import { IdempotencyInProgressError, IdempotentReplay } from '../idempotency/idempotency-errors';
import { IDEMPOTENT_REPLAYED_HEADER } from '../idempotency/idempotent-request';
import { errorAnswerOf } from './error-response';

/**
 * The one exception filter: every error leaves as `{ statusCode, code, message, field?,
 * reason?, errors? }`. Unexpected errors are logged with their stack under the request's
 * correlation id and answered 500 INTERNAL_ERROR without any detail.
 */
@Catch()
export class PlatformExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<PlatformRequest>();
    const response = host.switchToHttp().getResponse<ServerResponse>();
    const adapter = this.adapterHost.httpAdapter;
    if (adapter.isHeadersSent(response)) {
      this.logUnexpected(request, exception, 'after the answer had started');
      return;
    }
    if (exception instanceof IdempotentReplay) {
      adapter.setHeader(response, IDEMPOTENT_REPLAYED_HEADER, 'true');
      this.replay(response, exception);
      return;
    }
    const { status, body, unexpected, logDetail, retryAfterSeconds } = errorAnswerOf(exception);
    requestStateOf(request).answerCode = body.code;
    if (unexpected) this.logUnexpected(request, exception);
    else if (status >= HttpStatus.INTERNAL_SERVER_ERROR) {
      this.logger.warn(
        `${request.method} ${requestPath(request).split('?')[0]} answered ${status} ${body.code}: ${logDetail ?? body.message}`,
      );
    }
    const retryAfter =
      exception instanceof IdempotencyInProgressError ? exception.retryAfterSeconds : retryAfterSeconds;
    if (retryAfter !== undefined) adapter.setHeader(response, 'Retry-After', String(retryAfter));
    adapter.reply(response, body, status);
  }

  private replay(response: ServerResponse, replay: IdempotentReplay): void {
    const adapter = this.adapterHost.httpAdapter;
    const { answer, status } = replay;
    switch (answer.kind) {
      case 'json':
      case 'text':
        adapter.reply(response, answer.body, status);
        return;
      case 'empty':
        adapter.reply(response, undefined, status);
        return;
      case 'omitted':
        adapter.reply(
          response,
          {
            statusCode: status,
            code: 'IDEMPOTENT_ANSWER_NOT_KEPT',
            message: `The request was executed once and answered ${status}; its ${answer.bytes}-byte body was too large to keep for replays`,
          },
          status,
        );
    }
  }

  private logUnexpected(request: PlatformRequest, exception: unknown, when = ''): void {
    const { correlationId, requestId } = requestStateOf(request);
    const error = exception instanceof Error ? exception : new Error(String(exception));
    this.logger.error(
      `${request.method} ${requestPath(request).split('?')[0]} failed ${when ? `${when} ` : ''}(correlation ${correlationId}, request ${requestId}): ${error.message}`,
      error.stack,
    );
  }
}
