import { ConfigurationError } from './configuration-error';

/** The parts Salur runs on that can be away while Salur itself is fine. */
export type DependencyName = 'event-store' | 'read-models' | 'audit-log' | 'key-store' | 'idempotency-store' | 'queue';

/**
 * A dependency could not be reached (refused, reset, timed out, shut down): not a bug and not the
 * caller's mistake, so the API answers 503 with `code` and the request may be tried again later.
 * Adapters throw it in place of their driver's connection errors, so the answer names the part that
 * is down, and the driver's reason (`ECONNREFUSED 127.0.0.1:2113`) reaches the operator's log and
 * /health/ready instead of a 500.
 */
export class DependencyUnavailableError extends Error {
  readonly code: string;

  constructor(
    readonly dependency: DependencyName,
    /** The driver's own words, for operators: never shown to API callers. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${dependency} unavailable: ${reason}`, options);
    this.name = 'DependencyUnavailableError';
    this.code = `${dependency.toUpperCase().replace(/-/g, '_')}_UNAVAILABLE`;
  }
}

/** The driver's message of a connection failure, without a stack. */
export function reasonOf(error: unknown): string {
  if (error instanceof DependencyUnavailableError) return error.reason;
  const { errors, message, code, name } = (typeof error === 'object' && error !== null ? error : {}) as {
    errors?: unknown;
    message?: unknown;
    code?: unknown;
    name?: unknown;
  };
  // Node's "connect to every address of localhost" failure: the first address's reason.
  if (Array.isArray(errors) && errors.length > 0 && !message) return reasonOf(errors[0]);
  for (const text of [message, code, name]) if (typeof text === 'string' && text !== '') return text;
  return String(error);
}

/**
 * What a process that could not start prints: a configuration mistake or a dependency that never
 * answered gets one clear line naming the variable or the part, not a stack trace; a bug keeps its stack.
 */
export function startFailureOf(error: unknown): unknown {
  if (error instanceof ConfigurationError) return `Configuration error: ${error.message}`;
  if (error instanceof DependencyUnavailableError) return `Cannot start: ${error.message}`;
  return error;
}
