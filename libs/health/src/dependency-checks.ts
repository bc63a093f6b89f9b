import { Injectable } from '@nestjs/common';
import { reasonOf, type DependencyName } from '@salur/config';

export interface DependencyState {
  readonly status: 'up' | 'down';
  /** Why it is down, in the driver's words (no secrets: URLs are given without passwords). */
  readonly reason?: string;
  /** What it is: the adapter, the URL without its password. */
  readonly [detail: string]: unknown;
}

export interface DependencyCheck {
  readonly name: DependencyName;
  /**
   * Essential: without it the API cannot serve commands, so it is not ready (503). Not essential:
   * the ledger still serves commands and queries without it (Redis: no jobs start; the audit log:
   * no proofs until it is back, the follower catches up), so it is only "degraded".
   */
  readonly essential: boolean;
  /** Resolves with the state; a throw counts as down with its message as the reason. */
  readonly probe: () => Promise<DependencyState> | DependencyState;
}

/** A probe that does not answer within this is reported down (a hung connection must not hang /health). */
const PROBE_TIMEOUT_MS = 3_000;

/**
 * The dependencies /health/ready reports, each registered by the module that owns it (the audit log
 * registers its database from its own capability), so readiness names every part that can be away.
 */
@Injectable()
export class DependencyChecks {
  private readonly checks = new Map<DependencyName, DependencyCheck>();

  register(check: DependencyCheck): void {
    this.checks.set(check.name, check);
  }

  async probeAll(): Promise<Array<DependencyCheck & { state: DependencyState }>> {
    return Promise.all(
      [...this.checks.values()].map(async (check) => ({ ...check, state: await probeWithin(check, PROBE_TIMEOUT_MS) })),
    );
  }
}

async function probeWithin(check: DependencyCheck, timeoutMs: number): Promise<DependencyState> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<DependencyState>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'down', reason: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(check.probe), timedOut]);
  } catch (error) {
    return { status: 'down', reason: reasonOf(error) };
  } finally {
    clearTimeout(timer);
  }
}
