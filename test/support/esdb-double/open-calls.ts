import type { EventEmitter } from 'node:events';

export interface CallLifetime {
  /** Aborts when the client cancels the call or the double stops. */
  readonly signal: AbortSignal;
  /** The handler is done with the call. */
  release(): void;
}

/**
 * The streaming calls a handler is still serving. Counting them lets a test prove that a
 * client which stopped reading also cancelled its call instead of leaving it open.
 */
export class OpenCalls {
  private readonly open = new Set<AbortController>();

  get count(): number {
    return this.open.size;
  }

  track(call: EventEmitter): CallLifetime {
    const controller = new AbortController();
    const abort = () => controller.abort();
    this.open.add(controller);
    call.once('cancelled', abort);
    return {
      signal: controller.signal,
      release: () => {
        call.off('cancelled', abort);
        this.open.delete(controller);
      },
    };
  }

  abortAll(): void {
    for (const controller of this.open) controller.abort();
  }
}
