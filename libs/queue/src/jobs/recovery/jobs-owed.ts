import { toDomainEvent } from '@salur/application';
import { BANK_JOB_STREAM_PREFIX, bankJobDecider, BankJobState } from './bank-job.decider';

/** A job the ledger says is owed: asked for and not finished. Its id is the deterministic one. */
export interface OwedJob {
  readonly queue: string;
  readonly jobId: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** What the tracker needs of a logged event (a RecordedEvent fits). */
export interface TrackedEvent {
  readonly streamName: string;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** Its schemaVersion tells whether it must be upcast; without one it is read as current. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/**
 * Folds the log, in order and in as many sittings as the caller likes, into the jobs that are
 * owed. Finished jobs are forgotten at once, so memory holds only the unfinished ones.
 */
export class OwedJobsTracker {
  private readonly unfinished = new Map<string, BankJobState>();

  observe(recorded: TrackedEvent): void {
    if (!recorded.streamName.startsWith(BANK_JOB_STREAM_PREFIX)) return;
    const event = toDomainEvent(recorded, bankJobDecider.events);
    if (event === undefined) return;
    const jobId = recorded.streamName.slice(BANK_JOB_STREAM_PREFIX.length);
    const state = bankJobDecider.evolve(this.unfinished.get(jobId) ?? bankJobDecider.initialState, event);
    if (state.outcome) this.unfinished.delete(jobId);
    else this.unfinished.set(jobId, state);
  }

  /** The owed jobs, oldest request first; a build's recorded plan travels in its data. */
  owed(): OwedJob[] {
    const jobs: OwedJob[] = [];
    for (const [jobId, state] of this.unfinished) {
      if (!state.request) continue;
      const data = state.plan ? { ...state.request.data, plan: state.plan } : state.request.data;
      jobs.push({ queue: state.request.queue, jobId, data });
    }
    return jobs;
  }
}
