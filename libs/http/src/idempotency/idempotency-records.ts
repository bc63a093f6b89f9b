import type { ExpectedRevision } from '@salur/event-store';

/**
 * The idempotency records, pure: what the events of one key's stream are and what the next
 * request with that key may do. The stream is a series of attempts: Started, then Completed
 * (an answer to replay forever) or Failed (a retry may execute again). A Started without an
 * outcome is a request in progress, or one whose process died; after the lease a retry may
 * take over.
 */
export const IDEMPOTENCY_EVENT_TYPES = {
  started: 'IdempotentRequestStarted',
  completed: 'IdempotentRequestCompleted',
  failed: 'IdempotentRequestFailed',
} as const;

/** The first answer, as it is replayed. */
export type StoredAnswer =
  | { readonly kind: 'json'; readonly body: unknown }
  | { readonly kind: 'text'; readonly body: string }
  | { readonly kind: 'empty' }
  /** Over IdempotencyConfig.maxStoredBodyBytes: the status is kept, the body is not. */
  | { readonly kind: 'omitted'; readonly bytes: number };

export type IdempotencyEventData =
  | { readonly requestHash: string; readonly method: string; readonly path: string; readonly at: string }
  | { readonly requestHash: string; readonly status: number; readonly answer: StoredAnswer; readonly at: string }
  | { readonly requestHash: string; readonly status: number; readonly at: string };

/** The last event of a key's stream; every event repeats the request hash, so one read decides. */
export interface LastIdempotencyEvent {
  readonly type: string;
  readonly revision: number;
  readonly data: {
    readonly requestHash?: unknown;
    readonly at?: unknown;
    readonly status?: unknown;
    readonly answer?: unknown;
  };
}

export type IdempotencyDecision =
  | { readonly kind: 'execute'; readonly expectedRevision: ExpectedRevision }
  | { readonly kind: 'replay'; readonly status: number; readonly answer: StoredAnswer }
  | { readonly kind: 'key-reused' }
  | { readonly kind: 'in-progress'; readonly retryAfterSeconds: number };

export function decideIdempotency(
  last: LastIdempotencyEvent | undefined,
  requestHash: string,
  nowMs: number,
  inProgressLeaseMs: number,
): IdempotencyDecision {
  if (!last) return { kind: 'execute', expectedRevision: 'no_stream' };
  if (last.data.requestHash !== requestHash) return { kind: 'key-reused' };
  switch (last.type) {
    case IDEMPOTENCY_EVENT_TYPES.completed:
      return { kind: 'replay', status: Number(last.data.status), answer: last.data.answer as StoredAnswer };
    case IDEMPOTENCY_EVENT_TYPES.failed:
      return { kind: 'execute', expectedRevision: last.revision };
    case IDEMPOTENCY_EVENT_TYPES.started: {
      const startedMs = Date.parse(String(last.data.at));
      const leftMs = Number.isNaN(startedMs) ? 0 : startedMs + inProgressLeaseMs - nowMs;
      if (leftMs <= 0) return { kind: 'execute', expectedRevision: last.revision };
      return { kind: 'in-progress', retryAfterSeconds: Math.max(1, Math.ceil(Math.min(leftMs, 5_000) / 1_000)) };
    }
    default:
      throw new Error(`Unknown idempotency event '${last.type}' at revision ${last.revision}`);
  }
}

/**
 * Which answers are kept for replay: successes and the 4xx answers a retry would get again
 * (validation, business rules). A concurrency conflict, a timeout, a rate limit or a 5xx is
 * not an answer to the request but to the moment: it is recorded as Failed, so a retry runs.
 */
export function isFinalAnswer(status: number, code?: string): boolean {
  if (status >= 200 && status < 300) return true;
  if (status < 400 || status >= 500) return false;
  return status !== 408 && status !== 429 && code !== 'CONCURRENCY_CONFLICT';
}

export function storedAnswerOf(result: unknown, maxBytes: number): StoredAnswer {
  if (result === undefined || result === null) return { kind: 'empty' };
  // As Nest's Express adapter answers: objects and arrays as JSON, anything else as text.
  const isJson = typeof result === 'object';
  const text = isJson ? JSON.stringify(result) : String(result);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) return { kind: 'omitted', bytes };
  return isJson ? { kind: 'json', body: JSON.parse(text) as unknown } : { kind: 'text', body: text };
}
