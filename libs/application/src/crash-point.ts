/**
 * Fault injection for the crash tests: when SALUR_CRASH_AT names this point, the process kills
 * itself with SIGKILL right here, as a power cut would, between two steps of a workflow. The
 * tests restart the service and check that it finishes or compensates the workflow by itself.
 * Unset in production; reading one variable per step costs nothing that matters.
 */
export function crashPoint(name: string): void {
  crashHook?.(name);
  if (process.env.SALUR_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}

/** Called at every crash point, by name; it may throw to end the work in progress there. */
export type CrashHook = (name: string) => void;

let crashHook: CrashHook | undefined;

/**
 * The in-process form of the same fault, for the whole-system simulation (tools/simulate): the
 * hook throws at a seeded choice of points, and the simulation then drops the service's memory
 * and keeps the store, as a restart would. Never set by the service; `undefined` removes it.
 */
export function setCrashHook(hook: CrashHook | undefined): void {
  crashHook = hook;
}
