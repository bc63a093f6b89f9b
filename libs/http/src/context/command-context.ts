import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Actor, CommandContext } from '@salur/kernel';
import { PlatformRequest, requestStateOf } from './request-state';

/**
 * Everything a command handler needs from its request. It is a CommandContext, so it passes
 * straight to a decider; `actor` holds only the user id and the role (what events record),
 * the token's grants stay apart so they never end up in an event by accident.
 */
export interface RequestContext extends CommandContext {
  readonly actor: Actor;
  readonly grants: readonly string[];
  readonly correlationId: string;
  /** This request's id: the causation id of the events it produces. */
  readonly requestId: string;
}

/** The metadata every event carries (DESIGN.md "Facts"). */
export type EventMetadata = {
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string;
  /** When the command was decided: the context's `now`. */
  readonly occurredAt: string;
  readonly schemaVersion: number;
};

/**
 * The context of an authenticated request, with `now` read once here: the domain never reads
 * the clock. Throws on a public route, where no actor exists (a programming error).
 */
export function requestContextOf(request: PlatformRequest, now: Date = new Date()): RequestContext {
  const state = requestStateOf(request);
  if (!state.actor) {
    throw new Error('No authenticated actor on this request: commands cannot run on a @Public() route');
  }
  const { userId, role, grants } = state.actor;
  return {
    actor: { userId, role },
    grants,
    now: now.toISOString(),
    correlationId: state.correlationId,
    requestId: state.requestId,
  };
}

/** Metadata for the events a request's command produces; one call per command, shared by its events. */
export function eventMetadata(context: RequestContext, schemaVersion = 1): EventMetadata {
  return {
    actor: { userId: context.actor.userId, role: context.actor.role },
    correlationId: context.correlationId,
    causationId: context.requestId,
    occurredAt: context.now,
    schemaVersion,
  };
}

/** `@CurrentContext() context: RequestContext` in a handler's parameters. */
export const CurrentContext = createParamDecorator((_: unknown, host: ExecutionContext): RequestContext =>
  requestContextOf(host.switchToHttp().getRequest()),
);
