import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { Metrics } from '@salur/observability';
import { BankJobs } from './bank-jobs';
import { BANK_QUEUES } from './job-ids';

/** The states the failed-job and backlog alerts watch; BullMQ counts each in one round trip. */
const COUNTED_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;

/** Jobs per queue and state, read from Redis at each scrape (absent from a scrape while Redis is down). */
@Injectable()
export class JobGauges implements OnModuleInit {
  constructor(
    private readonly jobs: BankJobs,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  onModuleInit(): void {
    this.metrics?.readGauges('jobs', ['jobs'], async (gauges) => {
      for (const queue of Object.values(BANK_QUEUES)) {
        const counts = await this.jobs.queue(queue).getJobCounts(...COUNTED_STATES);
        for (const state of COUNTED_STATES) gauges.set('jobs', { queue, state }, counts[state] ?? 0);
      }
    });
  }
}
