import type { StoredAnswer } from './idempotency-records';

/** Another request with this key is executing; answered 409 IDEMPOTENCY_IN_PROGRESS with Retry-After. */
export class IdempotencyInProgressError extends Error {
  readonly code = 'IDEMPOTENCY_IN_PROGRESS';
  constructor(readonly retryAfterSeconds: number) {
    super('A request with this Idempotency-Key is still being executed; retry in a moment to receive its answer');
    this.name = 'IdempotencyInProgressError';
  }
}

/**
 * Not a failure: the key's first answer is sent again. It travels as an exception so that the
 * exception filter, which writes responses directly, can send the stored status (Nest would
 * otherwise overwrite it with the route's default status).
 */
export class IdempotentReplay extends Error {
  constructor(
    readonly status: number,
    readonly answer: StoredAnswer,
  ) {
    super(`Replaying the first answer (${status}) to this Idempotency-Key`);
    this.name = 'IdempotentReplay';
  }
}

/**
 * An attempt's outcome came after another attempt took its key over (its lease had ended): the
 * record now belongs to the newer attempt and is left as it is.
 */
export class IdempotencyClaimLostError extends Error {
  constructor(readonly keyId: string) {
    super(`The idempotency record ${keyId} was taken over by a later attempt; this outcome is not recorded`);
    this.name = 'IdempotencyClaimLostError';
  }
}
