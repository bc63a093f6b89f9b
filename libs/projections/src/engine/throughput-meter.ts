/** How far back the events-per-second figure looks. */
export const RATE_WINDOW_MS = 10_000;
/** Samples kept at most: one per batch, so this covers batches as short as 10 ms over the window. */
const MAX_SAMPLES = 1_000;

/** Events per second over the last RATE_WINDOW_MS. Pure: the caller passes the clock. */
export class ThroughputMeter {
  private samples: Array<{ readonly atMs: number; readonly events: number }> = [];

  constructor(private readonly startedAtMs: number) {}

  record(events: number, atMs: number): void {
    this.samples.push({ atMs, events });
    if (this.samples.length > MAX_SAMPLES) this.samples.splice(0, this.samples.length - MAX_SAMPLES);
  }

  eventsPerSecond(nowMs: number): number {
    const windowStartMs = nowMs - RATE_WINDOW_MS;
    this.samples = this.samples.filter((sample) => sample.atMs > windowStartMs);
    const events = this.samples.reduce((sum, sample) => sum + sample.events, 0);
    // A meter younger than the window divides by its own age, not by the whole window.
    const spanMs = Math.min(RATE_WINDOW_MS, nowMs - this.startedAtMs);
    return spanMs <= 0 ? 0 : Math.round((events * 1_000) / spanMs);
  }
}
