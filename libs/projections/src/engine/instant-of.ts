import type { RecordedEvent } from '@salur/event-store';

/** When a fact happened by the command's clock: every ledger event has `at`, a bank file `generatedAt`. */
export function instantOf(recorded: RecordedEvent): string {
  const { at, generatedAt } = recorded.data as { at?: unknown; generatedAt?: unknown };
  if (typeof at === 'string') return at;
  if (typeof generatedAt === 'string') return generatedAt;
  return recorded.recordedAt;
}
