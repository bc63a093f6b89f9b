/**
 * Fault injection for the crash tests: when SALUR_CRASH_AT names this point, the process kills
 * itself with SIGKILL right here, as a power cut would, between two steps of a workflow. The
 * tests restart the service and check that it finishes or compensates the workflow by itself.
 * Unset in production; reading one variable per step costs nothing that matters.
 */
export function crashPoint(name: string): void {
  if (process.env.SALUR_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}
