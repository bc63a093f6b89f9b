import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ROLES, type Role } from '@salur/kernel';
import { ErrorResponse } from '../errors/error-response';

export const ROLES_METADATA = 'salur:roles';
export const PUBLIC_METADATA = 'salur:public';
export const BEARER_SCHEME = 'bearer';

/**
 * The roles that may call this handler, and no others: `admin` included only when listed.
 * Put it on every handler (never on a class: a class-wide list would silently extend to
 * handlers added later). A handler with neither @Roles nor @Public is refused to everyone.
 */
export function Roles(...roles: [Role, ...Role[]]): MethodDecorator {
  if (roles.length === 0) throw new Error('@Roles() needs at least one role');
  for (const role of roles) {
    if (!(ROLES as readonly string[]).includes(role)) throw new Error(`@Roles(): '${String(role)}' is not a role`);
  }
  const allowed = Object.freeze([...new Set(roles)]);
  return applyDecorators(
    SetMetadata(ROLES_METADATA, allowed),
    ApiBearerAuth(BEARER_SCHEME),
    ApiExtension('x-roles', allowed),
    ApiUnauthorizedResponse({ description: 'No valid bearer token', type: ErrorResponse }),
    ApiForbiddenResponse({ description: `Only for: ${allowed.join(', ')}`, type: ErrorResponse }),
  ) as MethodDecorator;
}

/** No token needed. Only for /health (and /docs, which Swagger serves outside the controllers). */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata(PUBLIC_METADATA, true);
}

export function rolesOf(handler: object): readonly Role[] | undefined {
  return Reflect.getMetadata(ROLES_METADATA, handler) as readonly Role[] | undefined;
}

export function isPublic(handler: object, controller: object): boolean {
  return (
    Reflect.getMetadata(PUBLIC_METADATA, handler) === true || Reflect.getMetadata(PUBLIC_METADATA, controller) === true
  );
}
