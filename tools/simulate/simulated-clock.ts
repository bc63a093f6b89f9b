/** Milliseconds in an hour, for the clock's steps. */
export const HOUR_MS = 3_600_000;

/**
 * The simulation's time: it moves only when the simulation moves it, so every `now` a command
 * carries, every recording instant and every deadline a pass compares with replays exactly.
 */
export class SimulatedClock {
  private epochMs: number;

  constructor(startIso: string) {
    this.epochMs = Date.parse(startIso);
  }

  now(): string {
    return new Date(this.epochMs).toISOString();
  }

  advance(ms: number): void {
    this.epochMs += ms;
  }
}
