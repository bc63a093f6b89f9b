import { setCrashHook } from '@salur/application';
import type { SeededRandom } from './seeded-random';

/** The simulated power cut: thrown where the process would have died. */
export class SimulatedCrash extends Error {
  constructor(readonly boundary: string) {
    super(`simulated crash at ${boundary}`);
    this.name = 'SimulatedCrash';
  }
}

/** Step boundaries the simulation may crash at after the one it drew: the drawn one is rarely reached otherwise. */
const MAX_BOUNDARY_DRAW = 6;

/**
 * Where the power fails. Every step boundary counts: each committed append (the store calls
 * `boundary` after its commit, before the writer hears of it) and each named crash point of the
 * workflows (`crashPoint`). A step the simulation arms crashes at a seeded one of its boundaries;
 * from then on the process is dead: every later boundary throws too, so code that catches the
 * first crash (a pass that logs a failed step and goes on) writes nothing more, as a dead process
 * would not. `restart` brings the process back.
 */
export class CrashInjection {
  private countdown: number | undefined;
  private deadAt: string | undefined;
  private crashes = 0;

  constructor(private readonly random: SeededRandom) {}

  /** Installs the crash-point hook; returns what removes it. */
  install(): () => void {
    setCrashHook((name) => this.boundary(`crash point ${name}`));
    return () => setCrashHook(undefined);
  }

  /** The next step crashes at its n-th boundary, n drawn from the seed (if the step gets that far). */
  arm(): void {
    this.countdown = this.random.between(1, MAX_BOUNDARY_DRAW);
  }

  disarm(): void {
    this.countdown = undefined;
  }

  boundary(name: string): void {
    if (this.deadAt !== undefined) throw new SimulatedCrash(this.deadAt);
    if (this.countdown === undefined) return;
    this.countdown--;
    if (this.countdown > 0) return;
    this.countdown = undefined;
    this.deadAt = name;
    this.crashes++;
    throw new SimulatedCrash(name);
  }

  /** Where the process died during this step, if it did. */
  get crashedAt(): string | undefined {
    return this.deadAt;
  }

  get count(): number {
    return this.crashes;
  }

  restart(): void {
    this.deadAt = undefined;
  }
}
