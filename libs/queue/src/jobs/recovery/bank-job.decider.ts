import { eventRegistry, type CommandContext, type Decider, type DomainEvent } from '@salur/kernel';

/*
 * The ledger's record of a bank-integration job: that it was asked for (with everything a
 * worker needs to run it), the plan of a batch build, and that it finished. Redis may lose a
 * job (a restart without persistence, an eviction); these facts let a worker put it back
 * (libs/bank-integration/README.md, "Recovery"). Pure: no Nest, no Redis, no clock.
 */

/** A batch of a build's plan: the payments whose sorted ids fall in [first, last]. */
export interface PlannedBatchRange {
  readonly batchId: string;
  readonly first: string;
  readonly last: string;
}

export type JobOutcome = 'completed' | 'failed';

export type BankJobRequested = DomainEvent<
  'BankJobRequested',
  { jobId: string; queue: string; data: Readonly<Record<string, unknown>>; at: string }
>;
export type BatchBuildPlanned = DomainEvent<
  'BatchBuildPlanned',
  { jobId: string; plan: readonly PlannedBatchRange[]; at: string }
>;
export type BankJobFinished = DomainEvent<
  'BankJobFinished',
  { jobId: string; outcome: JobOutcome; reason: string | null; at: string }
>;
export type BankJobEvent = BankJobRequested | BatchBuildPlanned | BankJobFinished;

/** Every bank-job event type, for readers of the log (see toDomainEvent). */
export const BANK_JOB_EVENTS = eventRegistry<BankJobEvent>({
  BankJobRequested: true,
  BatchBuildPlanned: true,
  BankJobFinished: true,
});

export type BankJobCommand =
  | {
      type: 'RequestBankJob';
      data: { jobId: string; queue: string; data: Readonly<Record<string, unknown>> };
      context: CommandContext;
    }
  | { type: 'RecordBuildPlan'; data: { jobId: string; plan: readonly PlannedBatchRange[] }; context: CommandContext }
  | {
      type: 'FinishBankJob';
      data: { jobId: string; outcome: JobOutcome; reason: string | null };
      context: CommandContext;
    };

/**
 * Each part is recorded once and independently: a job put straight on a queue (a test, an
 * older API) has no request, yet its plan and its end are still worth keeping.
 */
export interface BankJobState {
  readonly request?: { readonly queue: string; readonly data: Readonly<Record<string, unknown>> };
  readonly plan?: readonly PlannedBatchRange[];
  readonly outcome?: JobOutcome;
}

export const BANK_JOB_STREAM_PREFIX = 'bank-job-';

export function bankJobStreamName(jobId: string): string {
  return `${BANK_JOB_STREAM_PREFIX}${jobId}`;
}

function decide(command: BankJobCommand, state: BankJobState): BankJobEvent[] {
  const at = command.context.now;
  switch (command.type) {
    // The first request is the job: asking again for the same id is the same work (BullMQ agrees).
    case 'RequestBankJob':
      return state.request ? [] : [{ type: 'BankJobRequested', data: { ...command.data, at } }];
    // The first plan stands: a retry must build the same batches, whoever planned first.
    case 'RecordBuildPlan':
      return state.plan ? [] : [{ type: 'BatchBuildPlanned', data: { ...command.data, at } }];
    case 'FinishBankJob':
      return state.outcome ? [] : [{ type: 'BankJobFinished', data: { ...command.data, at } }];
  }
}

function evolve(state: BankJobState, event: BankJobEvent): BankJobState {
  switch (event.type) {
    case 'BankJobRequested':
      return { ...state, request: { queue: event.data.queue, data: event.data.data } };
    case 'BatchBuildPlanned':
      return { ...state, plan: event.data.plan };
    case 'BankJobFinished':
      return { ...state, outcome: event.data.outcome };
  }
}

export const bankJobDecider: Decider<BankJobCommand, BankJobState, BankJobEvent> = {
  initialState: {},
  events: BANK_JOB_EVENTS,
  decide,
  evolve,
};
