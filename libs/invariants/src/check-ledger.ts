import type { EventStore } from '@salur/event-store';
import type { ReadModelDatabase } from '@salur/projections';
import { EventInvariants, type WorkflowDeadline } from './domain/event-invariants';
import { INVARIANTS, InvariantName, Violation } from './domain/violation';
import { checkProjectionsAgree } from './projection-agreement';

export interface CheckReport {
  readonly events: number;
  readonly checked: readonly InvariantName[];
  readonly violations: readonly Violation[];
  readonly ok: boolean;
}

export interface CheckOptions {
  /** Compare the read models with a fresh fold; omitted when there is no read-model database. */
  readonly readModels?: ReadModelDatabase;
  readonly onProgress?: (eventsRead: number) => void;
  /**
   * Workflow steps younger than `graceMs` before `now` may still be under way in a live process
   * and are not reported. Default: now, and the service's default grace (the CLI passes WORKFLOW_GRACE).
   */
  readonly workflowDeadline?: WorkflowDeadline;
}

const PROGRESS_EVERY = 10_000;

/** Streams the whole log once through the invariants, then compares the read models. */
export async function checkLedger(store: EventStore, options: CheckOptions = {}): Promise<CheckReport> {
  const invariants = new EventInvariants(options.workflowDeadline);
  let read = 0;
  for await (const event of store.readAll()) {
    invariants.observe(event);
    if (++read % PROGRESS_EVERY === 0) options.onProgress?.(read);
  }
  options.onProgress?.(read);
  const { events, violations } = invariants.finish();
  const all = [...violations, ...(options.readModels ? await checkProjectionsAgree(store, options.readModels) : [])];
  const checked = (Object.keys(INVARIANTS) as InvariantName[]).filter(
    (name) => name !== 'projection-agrees' || options.readModels !== undefined,
  );
  return { events, checked, violations: all, ok: all.length === 0 };
}

/** The human report: one line per invariant, then each violation. */
export function formatReport(report: CheckReport): string {
  const lines = [`Checked ${report.events} events.`];
  for (const name of Object.keys(INVARIANTS) as InvariantName[]) {
    const count = report.violations.filter((violation) => violation.invariant === name).length;
    const state = !report.checked.includes(name) ? 'not checked' : count === 0 ? 'ok' : `${count} VIOLATION(S)`;
    lines.push(`  ${state.padEnd(16)} ${INVARIANTS[name]}`);
  }
  for (const violation of report.violations) {
    const where =
      violation.position === undefined ? '' : ` at position ${violation.position} (${violation.streamName})`;
    lines.push(`- ${violation.invariant}${where}: ${violation.message}`);
  }
  lines.push(report.ok ? 'All invariants hold.' : `${report.violations.length} violation(s).`);
  return lines.join('\n');
}
