import { isConnectionLost } from './connection-lost';

export interface ReconnectPolicy {
  /** Tries of one piece of work in all, the first included. */
  readonly attempts: number;
  /** Wait before the second try; doubled before each further one, with jitter. */
  readonly firstDelayMs: number;
}

/**
 * A lost backend (pg_terminate_backend, a failover, a restarted pooler) costs one connection, and
 * the pool opens a new one on the next checkout: a few quick tries ride it out. A server that stays
 * away longer still fails the call after about 20 + 40 + 80 ms, so callers see the outage.
 */
export const DEFAULT_RECONNECT_POLICY: ReconnectPolicy = { attempts: 4, firstDelayMs: 20 };

/**
 * Runs `work`, and runs it again on a fresh connection when its connection was lost. Only for
 * work that is safe to repeat: reads, and appends, whose event ids make a repeat of an append that
 * did commit find it instead of writing it again (see planAppend and confirmRetry).
 */
export async function withReconnect<T>(work: () => Promise<T>, policy: ReconnectPolicy): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= policy.attempts || !isConnectionLost(error)) throw error;
      const delayMs = policy.firstDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
