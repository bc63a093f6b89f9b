import type { CheckpointService } from './checkpoint.service';
import type { MerkleLogStore } from './merkle-log.store';

/**
 * Signs a checkpoint every interval in which the log grew: the log's size is read each tick and
 * compared with the last signed one. A failure is reported and tried again on the next tick.
 */
export class CheckpointScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastSignedSize: number | undefined;

  constructor(
    private readonly log: MerkleLogStore,
    private readonly checkpoints: CheckpointService,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.running ??= this.tick()
        .then(() => undefined)
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Signs now if the log grew since the last checkpoint; true when it signed. */
  async tick(): Promise<boolean> {
    try {
      this.lastSignedSize ??= (await this.checkpoints.latest())?.treeSize ?? -1;
      const { treeSize } = await this.log.state();
      if (treeSize <= this.lastSignedSize) return false;
      this.lastSignedSize = (await this.checkpoints.signLatest()).treeSize;
      return true;
    } catch (error) {
      this.lastSignedSize = undefined;
      this.onError(error);
      return false;
    }
  }
}
