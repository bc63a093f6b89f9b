/** A job as GET /jobs/:jobId and the job-starting routes answer it. */
export interface JobView {
  readonly id: string;
  readonly queue: string;
  readonly state: string;
  readonly progress: unknown;
  readonly attemptsMade: number;
  readonly result: unknown;
  readonly failedReason: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

/** A run of work that may be asked for again (BankJobs.startRun): the job and which run it is. */
export type RunView = JobView & { readonly run: number };
