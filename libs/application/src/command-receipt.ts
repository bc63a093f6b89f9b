import type { CommandOutcome } from './handle-command';

/**
 * What a command answers: the aggregate it touched, its revision, and the global position of
 * its last event, which a client passes as `minPosition` to read its own write.
 */
export interface CommandReceipt {
  readonly id: string;
  readonly revision: number;
  /** null when the command changed nothing (an idempotent retry). */
  readonly position: number | null;
}

export function receiptOf(
  id: string,
  outcome: Pick<CommandOutcome<unknown, never>, 'revision' | 'position'>,
): CommandReceipt {
  return { id, revision: outcome.revision, position: outcome.position ?? null };
}
