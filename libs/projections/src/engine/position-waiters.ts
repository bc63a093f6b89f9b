import type { GlobalPosition } from '@salur/event-store';

/** The longest a read may wait for a projection: a request thread must not hang on a stuck one. */
export const MAX_WAIT_FOR_MS = 5_000;
/** Reads waiting at once per projection; more are refused rather than piling up. */
export const MAX_WAITERS = 10_000;

export class ProjectionWaitTimeoutError extends Error {
  constructor(
    readonly projection: string,
    readonly target: GlobalPosition,
    readonly reached: GlobalPosition | undefined,
    readonly timeoutMs: number,
  ) {
    super(
      `Projection '${projection}' did not reach position ${target} within ${timeoutMs} ms ` +
        `(it is at ${reached === undefined || reached < 0 ? 'the start' : reached})`,
    );
    this.name = 'ProjectionWaitTimeoutError';
  }
}

export class ProjectionNotRunningError extends Error {
  constructor(projection: string, reason: string) {
    super(`Projection '${projection}' is not running: ${reason}`);
    this.name = 'ProjectionNotRunningError';
  }
}

interface Waiter {
  readonly target: GlobalPosition;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** Reads waiting until a projection's checkpoint reaches a position. */
export class PositionWaiters {
  private waiters: Waiter[] = [];

  constructor(private readonly projection: string) {}

  /** Reads waiting now. */
  get size(): number {
    return this.waiters.length;
  }

  wait(target: GlobalPosition, current: () => GlobalPosition | undefined, timeoutMs: number): Promise<void> {
    const reached = current();
    if (reached !== undefined && reached >= target) return Promise.resolve();
    if (this.waiters.length >= MAX_WAITERS) {
      return Promise.reject(new ProjectionNotRunningError(this.projection, `${MAX_WAITERS} reads already waiting`));
    }
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter.timer !== timer);
        reject(new ProjectionWaitTimeoutError(this.projection, target, current(), timeoutMs));
      }, timeoutMs);
      this.waiters.push({ target, resolve, reject, timer });
    });
  }

  /** Releases every read waiting for a position up to `position`. */
  advance(position: GlobalPosition): void {
    if (this.waiters.length === 0) return;
    const waiting: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.target > position) {
        waiting.push(waiter);
        continue;
      }
      clearTimeout(waiter.timer);
      waiter.resolve();
    }
    this.waiters = waiting;
  }

  rejectAll(error: Error): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }
}
