import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Type,
  UnauthorizedException,
} from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { PlatformRequest, requestPath, requestStateOf } from '../context/request-state';
import { PUBLIC_CONTROLLERS } from '../http-platform.tokens';
import { isPublic, rolesOf } from './access.decorators';
import { AccessTokens, TokenRejectedError } from './access-tokens';

const BEARER_PATTERN = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/;

/**
 * The one global guard: authenticates the bearer token, then allows the call only when the
 * handler lists the actor's role. Denies by default: a handler without @Roles (and not
 * public) answers 403 to every role, so a forgotten decorator fails closed.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly publicControllers: ReadonlySet<Type>;

  constructor(
    private readonly tokens: AccessTokens,
    @Inject(PUBLIC_CONTROLLERS) publicControllers: readonly Type[],
  ) {
    this.publicControllers = new Set(publicControllers);
  }

  canActivate(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    const controller = context.getClass();
    if (isPublic(handler, controller) || this.publicControllers.has(controller)) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<PlatformRequest>();
    const actor = this.authenticate(request, http.getResponse<ServerResponse>());
    requestStateOf(request).actor = actor;

    const roles = rolesOf(handler);
    if (!roles) {
      throw new ForbiddenException({
        code: 'NO_ROLES_DECLARED',
        message: `${request.method} ${routeOf(request)} declares no roles, so it is closed to every role`,
      });
    }
    if (!roles.includes(actor.role)) {
      throw new ForbiddenException({
        code: 'ROLE_NOT_ALLOWED',
        message: `Role '${actor.role}' may not call ${request.method} ${routeOf(request)}; allowed: ${roles.join(', ')}`,
      });
    }
    return true;
  }

  private authenticate(request: PlatformRequest, response: ServerResponse) {
    const header = request.headers.authorization;
    if (!header) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="salur"');
      throw new UnauthorizedException({
        code: 'TOKEN_MISSING',
        message: 'This endpoint needs a bearer token: Authorization: Bearer <token> (npm run cli -- token issue)',
      });
    }
    const match = BEARER_PATTERN.exec(header);
    try {
      if (!match) throw new TokenRejectedError('invalid', 'The Authorization header is not "Bearer <token>"');
      return this.tokens.verify(match[1]);
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error;
      response.setHeader('WWW-Authenticate', `Bearer realm="salur", error="invalid_token"`);
      throw new UnauthorizedException({
        code: error.reason === 'expired' ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID',
        message: error.message,
      });
    }
  }
}

/** The path without its query string: a message never echoes query values. */
function routeOf(request: PlatformRequest): string {
  return requestPath(request).split('?')[0];
}
