import type { GlobalPosition } from '@salur/event-store';
import { PositionWaiters, ProjectionNotRunningError } from './position-waiters';
import type { ReadModelDatabase } from './read-model-database';

/** How often the checkpoints are read while a read waits: the read-after-write delay it adds at most. */
export const CHECKPOINT_POLL_MS = 50;

/**
 * Read-your-writes in a process whose read models another process projects (the API with
 * PROJECTIONS=separate, the projector app doing the work): a read waiting for a position waits
 * on the checkpoints table, which the projector moves in the same transaction as the rows. One
 * poll serves every waiting read, and it runs only while one waits. If the read models cannot be
 * read, the waiting reads fail with that error (a 503 naming them) instead of timing out blind.
 */
export class CheckpointFollower {
  private readonly waiters: ReadonlyMap<string, PositionWaiters>;
  private readonly seen = new Map<string, GlobalPosition>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly db: ReadModelDatabase,
    names: readonly string[],
    private readonly pollMs = CHECKPOINT_POLL_MS,
  ) {
    this.waiters = new Map(names.map((name) => [name, new PositionWaiters(name)]));
  }

  waitFor(name: string, position: GlobalPosition, timeoutMs: number): Promise<void> {
    const waiters = this.waiters.get(name);
    if (waiters === undefined) return Promise.reject(new Error(`No projection is registered as '${name}'`));
    if (this.stopped) return Promise.reject(new ProjectionNotRunningError(name, 'stopped'));
    const waiting = waiters.wait(position, () => this.seen.get(name), timeoutMs);
    this.schedule(0);
    return waiting;
  }

  /** Each projection's committed checkpoint, as the projector last wrote it (absent: never ran). */
  async positions(): Promise<ReadonlyMap<string, GlobalPosition>> {
    const rows = await this.db.selectFrom('projectionCheckpoints').select(['name', 'position']).execute();
    for (const row of rows) this.seen.set(row.name, Number(row.position));
    return new Map(this.seen);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const [name, waiters] of this.waiters) waiters.rejectAll(new ProjectionNotRunningError(name, 'stopped'));
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined || this.stopped) return;
    if (![...this.waiters.values()].some((waiters) => waiters.size > 0)) return;
    this.timer = setTimeout(() => void this.poll(), delayMs);
  }

  private async poll(): Promise<void> {
    try {
      const positions = await this.positions();
      for (const [name, waiters] of this.waiters) {
        const position = positions.get(name);
        if (position !== undefined) waiters.advance(position);
      }
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const waiters of this.waiters.values()) waiters.rejectAll(failure);
    } finally {
      this.timer = undefined;
      this.schedule(this.pollMs);
    }
  }
}
