import { Client } from 'pg';

export interface BackendKillerOptions {
  /** A server URL the killer connects to with its own, untargeted connection. */
  readonly serverUrl: string;
  /** Only backends whose application_name is one of these are terminated: never another test's. */
  readonly applicationNames: readonly string[];
  /** A round terminates one backend, then waits a random time up to this. */
  readonly maxPauseMs: number;
  /** Hard bound on terminations, so a runaway loop cannot kill forever. */
  readonly maxTerminations: number;
}

export interface BackendKiller {
  /** Backends terminated so far. */
  terminated(): number;
  /** Stops the loop after its round in flight; resolves with the number of backends terminated. */
  stop(): Promise<number>;
}

const KILLER_APPLICATION_NAME = 'salur-chaos-killer';

/**
 * Terminates one of our backends at a time (pg_terminate_backend, as an administrator or a
 * failover would), at random moments, until stopped. One at a time and at random, so the kills
 * land in every phase of the work: inside a transaction, between two statements, on an idle
 * pooled connection, on the LISTEN connection, during COMMIT.
 */
export async function startBackendKiller(options: BackendKillerOptions): Promise<BackendKiller> {
  const client = new Client({ connectionString: options.serverUrl, application_name: KILLER_APPLICATION_NAME });
  await client.connect();
  let terminated = 0;
  let stopping = false;
  const loop = (async () => {
    while (!stopping && terminated < options.maxTerminations) {
      const result = await client.query<{ terminated: boolean }>(
        `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
         WHERE application_name = ANY($1::text[]) AND pid <> pg_backend_pid()
         ORDER BY random() LIMIT 1`,
        [options.applicationNames],
      );
      if (result.rows[0]?.terminated === true) terminated++;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * options.maxPauseMs));
    }
  })();
  return {
    terminated: () => terminated,
    async stop() {
      stopping = true;
      try {
        await loop;
      } finally {
        await client.end();
      }
      return terminated;
    },
  };
}
