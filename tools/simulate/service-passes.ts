import { ingestAnswer, resumeOwedJobs } from './service-jobs';
import type { World } from './world';

/**
 * What the service does by itself between requests, with the simulated clock: after a restart,
 * the jobs the ledger says are owed run again; the batch workflows' pass settles what crashes
 * left; the scheduled bank-outcome pass marks, expires and settles; the bank's answers that are
 * due arrive and are ingested.
 */
export async function runServicePasses(world: World): Promise<void> {
  if (world.recoveryOwed) {
    await resumeOwedJobs(world);
    world.recoveryOwed = false;
  }
  const now = world.clock.now();
  await world.service.workflows.settle(now);
  await world.service.outcomePass.run(now);
  const due = world.bank.deliver(world.step);
  for (const [index, answer] of due.entries()) {
    try {
      await ingestAnswer(world, answer);
    } catch (error) {
      // The upload failed with the process: the bank's link tries this answer and the rest again.
      world.bank.resend(due.slice(index), world.step);
      throw error;
    }
  }
}
