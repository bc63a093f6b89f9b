import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { PlatformRequest, requestStateOf, type AuthenticatedActor } from '../context/request-state';

export function currentActorOf(request: PlatformRequest): AuthenticatedActor {
  const actor = requestStateOf(request).actor;
  if (!actor)
    throw new Error('No authenticated actor on this request: @CurrentActor() cannot be used on a @Public() route');
  return actor;
}

/** `@CurrentActor() actor: AuthenticatedActor`: the verified user id, role and grants. */
export const CurrentActor = createParamDecorator((_: unknown, host: ExecutionContext): AuthenticatedActor =>
  currentActorOf(host.switchToHttp().getRequest()),
);
