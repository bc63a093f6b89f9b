import { Inject, Injectable } from '@nestjs/common';
import { handleCommand, loadStream, metadataOf } from '@salur/application';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { jobContext, JobOrigin } from '../job-context';
import { bankJobDecider, BankJobState, bankJobStreamName, JobOutcome, PlannedBatchRange } from './bank-job.decider';

/** A build job that found another run's plan recorded first: the retry picks that plan up. */
export class PlanRecordedElsewhereError extends Error {
  constructor(jobId: string) {
    super(`Another run of ${jobId} recorded a different plan first; retrying with it`);
    this.name = 'PlanRecordedElsewhereError';
  }
}

/** Writes a job's request, build plan and end to its `bank-job-<id>` stream, and reads them back. */
@Injectable()
export class BankJobLedger {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async request(queue: string, jobId: string, data: { readonly origin: JobOrigin }): Promise<void> {
    const context = jobContext(data.origin, jobId);
    await handleCommand(
      this.store,
      bankJobStreamName(jobId),
      bankJobDecider,
      { type: 'RequestBankJob', data: { jobId, queue, data: { ...data } }, context },
      { metadata: metadataOf(context) },
    );
  }

  async plan(jobId: string): Promise<readonly PlannedBatchRange[] | undefined> {
    return (await this.stateOf(jobId)).plan;
  }

  /** What the ledger knows of a job: asked for, its plan, how it ended. */
  async stateOf(jobId: string): Promise<BankJobState> {
    return (await loadStream(this.store, bankJobStreamName(jobId), bankJobDecider)).state;
  }

  /** Records the plan unless one is there; throws (a transient failure) if that one differs. */
  async recordPlan(jobId: string, plan: readonly PlannedBatchRange[], origin: JobOrigin): Promise<void> {
    const context = jobContext(origin, jobId);
    const outcome = await handleCommand(
      this.store,
      bankJobStreamName(jobId),
      bankJobDecider,
      { type: 'RecordBuildPlan', data: { jobId, plan }, context },
      { metadata: metadataOf(context) },
    );
    if (JSON.stringify(outcome.state.plan) !== JSON.stringify(plan)) throw new PlanRecordedElsewhereError(jobId);
  }

  async finish(jobId: string, outcome: JobOutcome, reason: string | null, origin: JobOrigin): Promise<void> {
    const context = jobContext(origin, jobId);
    await handleCommand(
      this.store,
      bankJobStreamName(jobId),
      bankJobDecider,
      { type: 'FinishBankJob', data: { jobId, outcome, reason }, context },
      { metadata: metadataOf(context) },
    );
  }
}
