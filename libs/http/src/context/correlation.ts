import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { invalid } from '@salur/kernel';
import { initialiseRequestState, PlatformRequest } from './request-state';

export const CORRELATION_ID_HEADER = 'X-Correlation-Id';
export const MAX_CORRELATION_ID_LENGTH = 100;
const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;

/** A caller's correlation id, or a new one; undefined header means "start a new correlation". */
export function parseCorrelationId(header: string | string[] | undefined): string {
  if (header === undefined) return randomUUID();
  if (typeof header === 'string' && CORRELATION_ID_PATTERN.test(header)) return header;
  throw invalid(
    'INVALID_CORRELATION_ID',
    `${CORRELATION_ID_HEADER} must be 1 to ${MAX_CORRELATION_ID_LENGTH} characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'`,
    CORRELATION_ID_HEADER,
  );
}

/**
 * First middleware of every request: sets the correlation and request ids and echoes the
 * correlation id, so that even a refused request (400, 401, 413) can be traced in the logs.
 * An invalid X-Correlation-Id is refused (400) under a fresh correlation id of our own.
 */
export function requestContextMiddleware(
  request: PlatformRequest,
  response: ServerResponse,
  next: (error?: unknown) => void,
): void {
  const header = request.headers[CORRELATION_ID_HEADER.toLowerCase()];
  try {
    const state = initialiseRequestState(request, parseCorrelationId(header));
    response.setHeader(CORRELATION_ID_HEADER, state.correlationId);
    next();
  } catch (error) {
    const state = initialiseRequestState(request, randomUUID());
    response.setHeader(CORRELATION_ID_HEADER, state.correlationId);
    next(error);
  }
}
