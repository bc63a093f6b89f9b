import type { LedgerContext } from '@salur/application';
import type { Actor } from '@salur/kernel';

/** What a job carries of the request that started it: who asked, and the correlation. */
export interface JobOrigin {
  readonly actor: Actor;
  readonly correlationId: string;
}

/** A job's command context: the requester acts, the job causes the events, the clock is now. */
export function jobContext(origin: JobOrigin, jobId: string, now = new Date().toISOString()): LedgerContext {
  return { actor: origin.actor, now, correlationId: origin.correlationId, causationId: jobId };
}

export type ReportProgress = (progress: { done: number; total: number } & Record<string, number>) => Promise<void>;

/** Runs `work` on each item with at most `limit` at once, in order of start. */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(runners);
}
