import { createHash } from 'node:crypto';
import { invalid } from '@salur/kernel';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7E]{1,200}$/;
/** canonicalJson refuses nesting beyond this; the body parser already refuses beyond 32. */
const MAX_CANONICAL_DEPTH = 64;

/** One command request as the idempotency records know it. */
export interface IdempotentRequest {
  /** The key's record: sha256 of (user id, key), so user ids stay out of the records. */
  readonly keyId: string;
  readonly requestHash: string;
  readonly method: string;
  readonly path: string;
}

export function parseIdempotencyKey(header: string | string[]): string {
  if (typeof header === 'string' && IDEMPOTENCY_KEY_PATTERN.test(header)) return header;
  throw invalid(
    'INVALID_IDEMPOTENCY_KEY',
    `${IDEMPOTENCY_KEY_HEADER} must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters, given once`,
    IDEMPOTENCY_KEY_HEADER,
  );
}

/**
 * Keys are scoped per user: two users choosing the same key never see each other's answers.
 * The key id hashes (user id, key) as a JSON pair, which cannot be ambiguous the way plain
 * concatenation is ("ab"+"c" = "a"+"bc"), and keeps user ids out of the records.
 */
export function idempotentRequestOf(
  userId: string,
  key: string,
  method: string,
  path: string,
  body: unknown,
): IdempotentRequest {
  return {
    keyId: sha256(JSON.stringify([userId, key])),
    requestHash: sha256(JSON.stringify([method, path, canonicalJson(body)])),
    method,
    path,
  };
}

/**
 * JSON with object keys sorted: a client that re-serialises the same body with its keys in
 * another order or other white space sends the same request.
 */
export function canonicalJson(value: unknown, depth = 0): string {
  if (depth > MAX_CANONICAL_DEPTH) {
    throw invalid('JSON_TOO_DEEP', `The request body is nested deeper than ${MAX_CANONICAL_DEPTH} levels`);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null, depth + 1)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item, depth + 1)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
