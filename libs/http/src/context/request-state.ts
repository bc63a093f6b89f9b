import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Actor } from '@salur/kernel';

/** The actor a verified token names, with what the token grants beyond the role (e.g. 'pii'). */
export interface AuthenticatedActor extends Actor {
  readonly grants: readonly string[];
}

/** What the platform learns about one request, kept on the request object. */
export interface RequestState {
  /** Ties together everything one business operation causes, across requests and jobs. */
  readonly correlationId: string;
  /** This request's own id: the causation id of the events it produces. */
  readonly requestId: string;
  /** Set by the access guard on every route that is not public. */
  actor?: AuthenticatedActor;
  /** The error code the request was answered with (set by the exception filter), for the log line. */
  answerCode?: string;
}

const REQUEST_STATE = Symbol('salur.requestState');

/** The parts of a Node/Express request the platform reads; no dependency on Express's types. */
export interface PlatformRequest extends IncomingMessage {
  body?: unknown;
  originalUrl?: string;
  [REQUEST_STATE]?: RequestState;
}

/**
 * The request's state, created on first use. The request-context middleware creates it first
 * (from X-Correlation-Id); the lazy path only serves requests that never passed through it.
 */
export function requestStateOf(request: PlatformRequest): RequestState {
  request[REQUEST_STATE] ??= { correlationId: randomUUID(), requestId: randomUUID() };
  return request[REQUEST_STATE];
}

/** The request's state if the platform has set it, without creating one (for loggers). */
export function knownRequestStateOf(request: PlatformRequest): RequestState | undefined {
  return request[REQUEST_STATE];
}

export function initialiseRequestState(request: PlatformRequest, correlationId: string): RequestState {
  request[REQUEST_STATE] = { correlationId, requestId: randomUUID() };
  return request[REQUEST_STATE];
}

/** The path with its query string, as the client sent it. */
export function requestPath(request: PlatformRequest): string {
  return request.originalUrl ?? request.url ?? '/';
}
