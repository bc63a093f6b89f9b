import type { MerkleLogStore } from '@salur/audit-log';
import type { EventStore } from '@salur/event-store';
import type { ReadModelDatabase } from '@salur/projections';
import { EventInvariants, type WorkflowDeadline } from './domain/event-invariants';
import { INVARIANTS, InvariantName, Violation } from './domain/violation';
import { checkProjectionsAgree } from './projection-agreement';
import { checkStoreAgreesWithLog } from './store-log-agreement';
import { ErasedSubjects, type KeyHolder } from './erased-subjects';

export interface CheckReport {
  readonly events: number;
  readonly checked: readonly InvariantName[];
  readonly violations: readonly Violation[];
  readonly ok: boolean;
  /** Beneficiaries whose personal data was erased (BeneficiaryErased): a fact, not a fault. */
  readonly erasedBeneficiaries: number;
}

export interface CheckOptions {
  /** Compare the read models with a fresh fold; omitted when there is no read-model database. */
  readonly readModels?: ReadModelDatabase;
  /**
   * The store the read models are folded from: the ledger's sealing store over `store`, so the fold
   * sees the search keys the running service saw (and none for an erased subject). Default: `store`.
   */
  readonly projectionSource?: EventStore;
  /** Compare every stored event with its leaf; omitted when there is no audit log. */
  readonly auditLog?: MerkleLogStore;
  /** Check that erased beneficiaries hold no key; omitted when there is no key store. */
  readonly keyStore?: KeyHolder;
  readonly onProgress?: (eventsRead: number) => void;
  /**
   * Workflow steps younger than `graceMs` before `now` may still be under way in a live process
   * and are not reported. Default: now, and the service's default grace (the CLI passes WORKFLOW_GRACE).
   */
  readonly workflowDeadline?: WorkflowDeadline;
}

const PROGRESS_EVERY = 10_000;

/**
 * Streams the whole log once through the invariants, then compares the read models and the
 * Merkle audit log with it. `store` must be the raw store: the events exactly as stored.
 */
export async function checkLedger(store: EventStore, options: CheckOptions = {}): Promise<CheckReport> {
  const invariants = new EventInvariants(options.workflowDeadline);
  const erased = new ErasedSubjects();
  let read = 0;
  for await (const event of store.readAll()) {
    invariants.observe(event);
    erased.observe(event);
    if (++read % PROGRESS_EVERY === 0) options.onProgress?.(read);
  }
  options.onProgress?.(read);
  const { events, violations } = invariants.finish();
  const all = [
    ...violations,
    ...(options.readModels ? await checkProjectionsAgree(options.projectionSource ?? store, options.readModels) : []),
    ...(options.auditLog ? await checkStoreAgreesWithLog(store, options.auditLog) : []),
    ...(options.keyStore ? await erased.check(options.keyStore) : []),
  ];
  const skipped = new Set<InvariantName>([
    ...(options.readModels ? [] : ['projection-agrees' as const]),
    ...(options.auditLog ? [] : ['store-agrees-with-log' as const]),
    ...(options.keyStore ? [] : ['erased-subjects-hold-no-key' as const]),
  ]);
  const checked = (Object.keys(INVARIANTS) as InvariantName[]).filter((name) => !skipped.has(name));
  return { events, checked, violations: all, ok: all.length === 0, erasedBeneficiaries: erased.count };
}

/** The human report: one line per invariant, then each violation. */
export function formatReport(report: CheckReport): string {
  const lines = [`Checked ${report.events} events (${report.erasedBeneficiaries} erased beneficiaries).`];
  for (const name of Object.keys(INVARIANTS) as InvariantName[]) {
    const count = report.violations.filter((violation) => violation.invariant === name).length;
    const state = !report.checked.includes(name) ? 'not checked' : count === 0 ? 'ok' : `${count} VIOLATION(S)`;
    lines.push(`  ${state.padEnd(16)} ${INVARIANTS[name]}`);
  }
  for (const violation of report.violations) {
    // A log divergence names its leaf and event in its message already.
    const where =
      violation.position === undefined || violation.invariant === 'store-agrees-with-log'
        ? ''
        : ` at position ${violation.position} (${violation.streamName})`;
    lines.push(`- ${violation.invariant}${where}: ${violation.message}`);
  }
  lines.push(report.ok ? 'All invariants hold.' : `${report.violations.length} violation(s).`);
  return lines.join('\n');
}
