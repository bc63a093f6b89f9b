import { Injectable } from '@nestjs/common';
import {
  BANK_QUEUES,
  failingPermanentlyOnRules,
  jobContext,
  type JobOrigin,
  type JobProcessor,
  RecordedRuns,
} from '@salur/queue';
import type { Job } from 'bullmq';
import { type OpenRoundResult, RoundOpener } from '../application/round-opener';

export interface OpenRoundJobData {
  readonly programmeId: string;
  readonly period: string;
  /** Which run of the round (1: the first; later ones are supplementary); absent in older jobs. */
  readonly run?: number;
  readonly origin: JobOrigin;
}

/**
 * Opens a round in the worker, or runs a supplementary run of it: one payment per active
 * beneficiary not yet scheduled for the period (RoundOpener). Every run does the same work;
 * what a later run finds already scheduled it counts and leaves.
 */
@Injectable()
export class OpenRoundProcessor implements JobProcessor<OpenRoundJobData, OpenRoundResult> {
  readonly queueName = BANK_QUEUES.openRound;
  readonly concurrency = 1;

  constructor(
    private readonly opener: RoundOpener,
    private readonly runs: RecordedRuns,
  ) {}

  process(job: Job<OpenRoundJobData, OpenRoundResult>): Promise<OpenRoundResult> {
    return this.runs.run(job, job.data.origin, () =>
      failingPermanentlyOnRules(() =>
        this.opener.open(job.data, jobContext(job.data.origin, String(job.id)), (progress) =>
          job.updateProgress(progress),
        ),
      ),
    );
  }
}
