import type { RequestContext } from '@salur/http';
import type { JobOrigin } from './job-context';

/** What a job keeps of the request that asked for it. */

export function originOf(context: RequestContext): JobOrigin {
  return { actor: context.actor, correlationId: context.correlationId };
}
