import type { JsonObject } from '@salur/event-store';
import type { CommandContext } from '@salur/kernel';

/** A command's context as every entry point (HTTP request, worker job, CLI) supplies it. */
export interface LedgerContext extends CommandContext {
  readonly correlationId: string;
  /** What caused the events: the request id, or the job id. */
  readonly causationId: string;
}

export const EVENT_SCHEMA_VERSION = 1;

/** The metadata of every event a command writes (DESIGN.md, "Facts"). */
export function metadataOf(context: LedgerContext): JsonObject {
  return {
    actor: { userId: context.actor.userId, role: context.actor.role },
    correlationId: context.correlationId,
    causationId: context.causationId,
    occurredAt: context.now,
    schemaVersion: EVENT_SCHEMA_VERSION,
  };
}
