import type { CommandContext } from '@salur/kernel';
import { specFor } from '@salur/kernel/testing';
import { BankJobEvent, bankJobDecider, BankJobRequested, bankJobStreamName } from './bank-job.decider';
import { OwedJobsTracker } from './jobs-owed';

const at = '2026-11-26T08:00:00.000Z';
const context: CommandContext = { actor: { userId: 'po-1', role: 'programme-officer' }, now: at };
const origin = { actor: context.actor, correlationId: 'c-1' };
const roundJob = 'open-round.BANTU-UMAK-2026.2026-11';
const buildJob = 'build-batches.BANTU-UMAK-2026.2026-11.r-1';
const plan = [
  { batchId: '5d6f1b7e-2c43-4e6a-9d1f-000000000001', first: 'a', last: 'm' },
  { batchId: '5d6f1b7e-2c43-4e6a-9d1f-000000000002', first: 'n', last: 'z' },
];

const requested = (jobId: string, queue: string): BankJobRequested => ({
  type: 'BankJobRequested',
  data: { jobId, queue, data: { programmeId: 'BANTU-UMAK-2026', period: '2026-11', origin }, at },
});
const planned = (jobId: string): BankJobEvent => ({ type: 'BatchBuildPlanned', data: { jobId, plan, at } });
const finished = (jobId: string): BankJobEvent => ({
  type: 'BankJobFinished',
  data: { jobId, outcome: 'completed', reason: null, at },
});

describe('the bank job decider', () => {
  const spec = specFor(bankJobDecider);

  it('records the first request of a job only', () => {
    const request = {
      type: 'RequestBankJob' as const,
      data: { jobId: roundJob, queue: 'open-round', data: requested(roundJob, 'open-round').data.data },
      context,
    };
    spec([])
      .when(request)
      .then([requested(roundJob, 'open-round')]);
    spec([requested(roundJob, 'open-round')])
      .when(request)
      .thenNothingHappens();
  });

  it('keeps the first plan of a build, so a retry builds the same batches', () => {
    const record = { type: 'RecordBuildPlan' as const, data: { jobId: buildJob, plan }, context };
    spec([requested(buildJob, 'build-batches')])
      .when(record)
      .then([planned(buildJob)]);
    spec([requested(buildJob, 'build-batches'), planned(buildJob)])
      .when({ ...record, data: { jobId: buildJob, plan: plan.slice(1) } })
      .thenNothingHappens();
  });

  it('records the end of a job once', () => {
    const finish = {
      type: 'FinishBankJob' as const,
      data: { jobId: roundJob, outcome: 'completed' as const, reason: null },
      context,
    };
    spec([requested(roundJob, 'open-round')])
      .when(finish)
      .then([finished(roundJob)]);
    spec([requested(roundJob, 'open-round'), finished(roundJob)])
      .when(finish)
      .thenNothingHappens();
  });
});

describe('the jobs owed by the ledger', () => {
  const logged = (jobId: string, event: BankJobEvent) => ({
    streamName: bankJobStreamName(jobId),
    type: event.type,
    data: event.data,
  });

  it('are the requested jobs that have not finished, a build with its recorded plan', () => {
    const tracker = new OwedJobsTracker();
    tracker.observe(logged(roundJob, requested(roundJob, 'open-round')));
    tracker.observe(logged(buildJob, requested(buildJob, 'build-batches')));
    tracker.observe(logged(buildJob, planned(buildJob)));
    expect(tracker.owed()).toEqual([
      { queue: 'open-round', jobId: roundJob, data: requested(roundJob, 'open-round').data.data },
      { queue: 'build-batches', jobId: buildJob, data: { ...requested(buildJob, 'build-batches').data.data, plan } },
    ]);

    tracker.observe(logged(roundJob, finished(roundJob)));
    expect(tracker.owed().map((job) => job.jobId)).toEqual([buildJob]);
  });

  it('are fed in several sittings: a finish seen later still settles the job', () => {
    const tracker = new OwedJobsTracker();
    tracker.observe(logged(roundJob, requested(roundJob, 'open-round')));
    expect(tracker.owed()).toHaveLength(1);
    tracker.observe(logged(roundJob, finished(roundJob)));
    expect(tracker.owed()).toEqual([]);
  });

  it('leave out a job nobody requested through the ledger, and ignore other streams and types', () => {
    const tracker = new OwedJobsTracker();
    tracker.observe(logged(buildJob, planned(buildJob)));
    tracker.observe({ streamName: 'payment-x', type: 'BankJobRequested', data: requested('x', 'open-round').data });
    tracker.observe({ streamName: bankJobStreamName('y'), type: 'PaymentScheduled', data: {} });
    expect(tracker.owed()).toEqual([]);
  });
});
