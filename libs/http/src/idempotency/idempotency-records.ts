/**
 * The idempotency records, pure: what one key's record holds and what the next request with
 * that key may do. A record is one row (idempotency.database.ts), rewritten per attempt:
 * `started`, then `completed` (an answer to replay forever) or `failed` (a retry may execute
 * again). A `started` record without an outcome is a request in progress, or one whose
 * process died; after the lease a retry first looks in the log for what it wrote.
 */
export type IdempotencyState = 'started' | 'completed' | 'failed';

/** The first answer, as it is replayed. */
export type StoredAnswer =
  | { readonly kind: 'json'; readonly body: unknown }
  | { readonly kind: 'text'; readonly body: string }
  | { readonly kind: 'empty' }
  /** Over IdempotencyConfig.maxStoredBodyBytes: the status is kept, the body is not. */
  | { readonly kind: 'omitted'; readonly bytes: number };

export interface IdempotencyRecord {
  readonly requestHash: string;
  readonly state: IdempotencyState;
  /** Raised by every write; a writer names the version it read, so of two writers one wins. */
  readonly version: number;
  /** The request id of the attempt that holds (or held) the key: the causation id of its events. */
  readonly requestId: string;
  /** What the route answers on success (201 for a POST unless its @HttpCode says otherwise). */
  readonly successStatus: number;
  /** The log's head when the attempt started (null: the log was empty); its events come after. */
  readonly fromPosition: number | null;
  readonly startedAt: string;
  /** Set once the attempt has an outcome. */
  readonly status: number | null;
  readonly answer: StoredAnswer | null;
}

export type IdempotencyDecision =
  /** Run the command: a new key (version null) or an attempt taking over at this version. */
  | { readonly kind: 'execute'; readonly version: number | null }
  | { readonly kind: 'replay'; readonly status: number; readonly answer: StoredAnswer }
  | { readonly kind: 'key-reused' }
  | { readonly kind: 'in-progress'; readonly retryAfterSeconds: number }
  /** The attempt's lease ended without an outcome: find what it wrote before running again. */
  | { readonly kind: 'recover'; readonly record: IdempotencyRecord };

export function decideIdempotency(
  record: IdempotencyRecord | undefined,
  requestHash: string,
  nowMs: number,
  inProgressLeaseMs: number,
): IdempotencyDecision {
  if (!record) return { kind: 'execute', version: null };
  if (record.requestHash !== requestHash) return { kind: 'key-reused' };
  switch (record.state) {
    case 'completed':
      if (record.status === null || record.answer === null) {
        throw new Error(`A completed idempotency record at version ${record.version} has no answer`);
      }
      return { kind: 'replay', status: record.status, answer: record.answer };
    case 'failed':
      return { kind: 'execute', version: record.version };
    case 'started': {
      const startedMs = Date.parse(record.startedAt);
      const leftMs = Number.isNaN(startedMs) ? 0 : startedMs + inProgressLeaseMs - nowMs;
      if (leftMs <= 0) return { kind: 'recover', record };
      return { kind: 'in-progress', retryAfterSeconds: Math.max(1, Math.ceil(Math.min(leftMs, 5_000) / 1_000)) };
    }
    default:
      throw new Error(`Unknown idempotency state '${String(record.state)}' at version ${record.version}`);
  }
}

/** An event the abandoned attempt wrote, as the log lists it. */
export interface WrittenEvent {
  readonly streamName: string;
  readonly revision: number;
  readonly position: number;
}

/**
 * What an attempt that wrote events and died before recording its answer answers: the receipt
 * of the last stream it wrote (`{ id, revision, position }`, as `receiptOf` in libs/application
 * builds it), the answer of every command that writes through `handleCommand` to one stream.
 * The id is the stream name after its category (`beneficiary-<id>`, `programme-<id>`).
 */
export function recoveredAnswerOf(last: WrittenEvent): StoredAnswer {
  const id = last.streamName.slice(last.streamName.indexOf('-') + 1);
  return { kind: 'json', body: { id, revision: last.revision, position: last.position } };
}

/**
 * Which answers are kept for replay: successes and the 4xx answers a retry would get again
 * (validation, business rules). A concurrency conflict, a timeout, a rate limit or a 5xx is
 * not an answer to the request but to the moment: it is recorded as failed, so a retry runs.
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
