import {
  BadRequestException,
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  Logger,
  NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';
import { PlatformRequest, requestPath, requestStateOf } from '../context/request-state';
import { errorAnswerOf } from '../errors/error-response';
import type { HttpPlatformConfig } from '../http-platform.config';
import { HTTP_PLATFORM_CONFIG } from '../http-platform.tokens';
import { IdempotentReplay } from './idempotency-errors';
import { isFinalAnswer, storedAnswerOf } from './idempotency-records';
import { IdempotencyClaim, IdempotencyStore } from './idempotency.store';
import { idempotentRequestOf, parseIdempotencyKey } from './idempotent-request';

export const MUTATING_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Global: every authenticated POST, PUT, PATCH or DELETE that carries an Idempotency-Key is
 * executed at most once per (user, key). Global rather than a per-controller decorator, so a
 * command endpoint cannot forget it; requests without the header are untouched.
 *
 * It runs after the access guard (the key is scoped to the authenticated user) and before the
 * validation pipe, so a refused body is an answer like any other and is replayed as such.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly records: IdempotencyStore,
    @Inject(HTTP_PLATFORM_CONFIG) private readonly config: HttpPlatformConfig,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<PlatformRequest>();
    const method = request.method ?? '';
    const header = request.headers['idempotency-key'];
    const actor = requestStateOf(request).actor;
    // A public route has no user to scope a key to; none of them is a command.
    if (!MUTATING_METHODS.has(method) || header === undefined || !actor) return next.handle();

    const key = parseIdempotencyKey(header);
    // Uploads (a CSV extract, a bank file) stream past the JSON parser: their content cannot be
    // hashed here, so a reused key could replay another file's answer. They are idempotent by
    // their own design (derived ids, per-file streams) and refuse a key rather than misuse it.
    const contentType = String(request.headers['content-type'] ?? '');
    if (contentType !== '' && !contentType.includes('json')) {
      throw new BadRequestException({
        statusCode: 400,
        code: 'IDEMPOTENCY_KEY_NOT_SUPPORTED',
        message: 'Idempotency-Key applies to JSON commands; an upload is idempotent by itself: post it again instead',
      });
    }
    const idempotent = idempotentRequestOf(actor.userId, key, method, requestPath(request), request.body);
    const successStatus = successStatusOf(context.getHandler(), method);
    // The request id is the causation id of the command's events: after a crash, a retry finds them by it.
    const requestId = requestStateOf(request).requestId;
    const claimed = await this.records.claim(idempotent, { requestId, successStatus });
    if (claimed.kind === 'replay') throw new IdempotentReplay(claimed.status, claimed.answer);

    return next.handle().pipe(
      catchError((error: unknown) =>
        from(this.recordError(claimed.claim, error)).pipe(mergeMap(() => throwError(() => error))),
      ),
      mergeMap(async (value: unknown) => {
        await this.recordOutcome(claimed.claim, (records) =>
          records.complete(
            claimed.claim,
            successStatus,
            storedAnswerOf(value, this.config.idempotency.maxStoredBodyBytes),
          ),
        );
        return value;
      }),
    );
  }

  /** A refusal is kept in the key's record only: the command wrote nothing, and neither does its key. */
  private recordError(claim: IdempotencyClaim, error: unknown): Promise<void> {
    const { status, body } = errorAnswerOf(error);
    return this.recordOutcome(claim, (records) =>
      isFinalAnswer(status, body.code)
        ? records.complete(claim, status, storedAnswerOf(body, this.config.idempotency.maxStoredBodyBytes))
        : records.fail(claim, status),
    );
  }

  /**
   * The command's own outcome is already durable (or refused); a record that cannot be written
   * must not turn it into an error. The key then stays "in progress" until the lease ends, and a
   * retry finds the command's events in the log and answers from them, or, if it wrote none,
   * executes again (IdempotencyStore).
   */
  private async recordOutcome(
    claim: IdempotencyClaim,
    write: (records: IdempotencyStore) => Promise<void>,
  ): Promise<void> {
    try {
      await write(this.records);
    } catch (error) {
      this.logger.error(
        `Could not record the outcome for ${claim.request.method} ${claim.request.path} in key ${claim.request.keyId}: ${
          (error as Error).message
        }`,
      );
    }
  }
}

/** The status Nest sends for a handler's return value: @HttpCode, else 201 for POST and 200 otherwise. */
function successStatusOf(handler: object, method: string): number {
  const declared = Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined;
  return declared ?? (method === 'POST' ? 201 : 200);
}
