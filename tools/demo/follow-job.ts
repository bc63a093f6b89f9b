import type { ApiClient, JobView } from '../load/api-client';
import type { Progress } from './progress';

const JOB_POLL_MS = 100;
/** Far above the slowest job seen (building two batches of 5,000 on a loaded 2-core machine: ~2.5 min). */
const JOB_TIMEOUT_MS = 30 * 60_000;

export interface JobWithProgress extends JobView {
  readonly progress: unknown;
}

export interface Counts {
  readonly done: number;
  readonly total: number;
}

/** Where a job's counts come from: by default what it reports ({ done, total }). */
export type JobCounts = (job: JobWithProgress) => Promise<Counts>;

export const reportedByTheJob: JobCounts = async (job) => {
  const reported = typeof job.progress === 'object' && job.progress !== null ? job.progress : {};
  const { done = 0, total = 0 } = reported as Partial<Counts>;
  return { done: Number(done), total: Number(total) };
};

/** Shows a job's progress until it completes; a failed job stops the demo. */
export async function followJob(
  client: ApiClient,
  progress: Progress,
  phase: { readonly title: string; readonly unit: string },
  queued: JobView,
  countsOf: JobCounts = reportedByTheJob,
): Promise<JobView> {
  const shown = progress.phase(phase.title, 0, phase.unit);
  const deadline = Date.now() + JOB_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const job = await client.ok<JobWithProgress>('admin', 'demo', 'GET', `/jobs/${encodeURIComponent(queued.id)}`);
    const { done, total } = await countsOf(job);
    shown.update(done, total);
    if (job.state === 'completed') {
      shown.finish();
      return job;
    }
    if (job.state === 'failed') throw new Error(`Job ${job.id} failed: ${job.failedReason}`);
    await new Promise((resolve) => setTimeout(resolve, JOB_POLL_MS));
  }
  throw new Error(`Job ${queued.id} did not finish within ${JOB_TIMEOUT_MS / 60_000} min`);
}
