import type { RequestContext } from '@salur/http';
import type { JobOrigin } from '../application/job-context';

export function originOf(context: RequestContext): JobOrigin {
  return { actor: context.actor, correlationId: context.correlationId };
}
