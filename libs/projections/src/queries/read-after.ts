import { ServiceUnavailableException } from '@nestjs/common';
import { ProjectionNotRunningError, ProjectionWaitTimeoutError } from '../engine/position-waiters';
import type { ProjectionStatusService } from '../engine/projection-status.service';

/**
 * Read-your-writes for list endpoints: a client passes the position a command answered with,
 * and the read waits (bounded) until the read models have applied it. If they lag further,
 * the answer is a 503 to retry, never a stale page presented as current. A list waits only
 * for the projections it reads, not for all of them:
 * a slower one (the audit trail catching up) does not hold up the others' readers.
 */
export async function readAfter(
  status: ProjectionStatusService,
  minPosition: number | undefined,
  projections: readonly string[],
): Promise<void> {
  if (minPosition === undefined) return;
  try {
    await status.waitFor(minPosition, { projections });
  } catch (error) {
    if (error instanceof ProjectionWaitTimeoutError) {
      throw new ServiceUnavailableException({ statusCode: 503, code: 'READ_MODEL_BEHIND', message: error.message });
    }
    // A failed or stopping projection will not get there: the read is retried later, like a lag.
    if (error instanceof ProjectionNotRunningError) {
      throw new ServiceUnavailableException({ statusCode: 503, code: 'READ_MODEL_STOPPED', message: error.message });
    }
    throw error;
  }
}
