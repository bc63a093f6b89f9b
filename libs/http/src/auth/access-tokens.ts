import { createSecretKey } from 'node:crypto';
import { JsonWebTokenError, JwtService, TokenExpiredError } from '@nestjs/jwt';
import { ROLES, type Role } from '@salur/kernel';
import type { JwtConfig } from '../http-platform.config';
import type { AuthenticatedActor } from '../context/request-state';

export const TOKEN_ISSUER = 'salur';
export const TOKEN_ALGORITHM = 'HS256';
/** Grants the platform knows; the token CLI refuses others so that a typo does not silently grant nothing. */
export const KNOWN_GRANTS = ['pii'] as const;
export const MAX_USER_ID_LENGTH = 200;
export const MAX_GRANTS = 16;
const MAX_GRANT_LENGTH = 64;
/** A token longer than this is refused before any cryptography. */
export const MAX_TOKEN_LENGTH = 8_192;
/** Machine tokens (bank-integration) are the longest-lived; beyond this, issue a new one. */
export const MAX_TOKEN_TTL_SECONDS = 31 * 24 * 3_600;

export interface TokenRequest {
  readonly userId: string;
  readonly role: Role;
  readonly grants?: readonly string[];
  readonly ttlSeconds: number;
}

/** Why a token was refused; answered 401 with code TOKEN_EXPIRED or TOKEN_INVALID. */
export class TokenRejectedError extends Error {
  constructor(
    readonly reason: 'expired' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'TokenRejectedError';
  }
}

/**
 * Issues and verifies the API's bearer tokens: HS256, issuer `salur`, claims `sub` (user id),
 * `role`, optional `grants`, and always `exp`. Verification pins the algorithm (no `none`, no
 * RS/HS confusion) and checks every claim's shape, since a role we do not know is no role.
 */
export class AccessTokens {
  private readonly jwt: JwtService;

  constructor(config: JwtConfig) {
    // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a PEM
    // public key on every verify and builds the secret key only after that throws, which was the
    // largest single cost of an authenticated request (issue 7 profile).
    this.jwt = new JwtService({ secret: createSecretKey(Buffer.from(config.secret, 'utf8')) });
  }

  issue(request: TokenRequest): string {
    assertClaims(request.userId, request.role, request.grants ?? []);
    if (!Number.isInteger(request.ttlSeconds) || request.ttlSeconds < 1 || request.ttlSeconds > MAX_TOKEN_TTL_SECONDS) {
      throw new RangeError(`A token lives 1 to ${MAX_TOKEN_TTL_SECONDS} seconds, not ${request.ttlSeconds}`);
    }
    const payload = request.grants?.length
      ? { role: request.role, grants: [...request.grants] }
      : { role: request.role };
    return this.jwt.sign(payload, {
      algorithm: TOKEN_ALGORITHM,
      issuer: TOKEN_ISSUER,
      subject: request.userId,
      expiresIn: request.ttlSeconds,
    });
  }

  verify(token: string): AuthenticatedActor {
    if (token.length > MAX_TOKEN_LENGTH) throw new TokenRejectedError('invalid', 'The bearer token is too long');
    let claims: Record<string, unknown>;
    try {
      claims = this.jwt.verify<Record<string, unknown>>(token, {
        algorithms: [TOKEN_ALGORITHM],
        issuer: TOKEN_ISSUER,
      });
    } catch (error) {
      if (error instanceof TokenExpiredError) throw new TokenRejectedError('expired', 'The bearer token has expired');
      if (error instanceof JsonWebTokenError) {
        throw new TokenRejectedError('invalid', `The bearer token is not valid: ${error.message}`);
      }
      throw error;
    }
    return actorOf(claims);
  }
}

function actorOf(claims: Record<string, unknown>): AuthenticatedActor {
  const { sub, role, grants, exp } = claims;
  // jsonwebtoken checks `exp` only when present; a token without one would never expire.
  if (typeof exp !== 'number') throw new TokenRejectedError('invalid', 'The bearer token has no expiry (exp)');
  const grantList = grants === undefined ? [] : grants;
  try {
    assertClaims(sub, role, grantList);
  } catch (error) {
    throw new TokenRejectedError('invalid', `The bearer token's claims are not valid: ${(error as Error).message}`);
  }
  return { userId: sub as string, role: role as Role, grants: Object.freeze([...(grantList as string[])]) };
}

function assertClaims(userId: unknown, role: unknown, grants: unknown): void {
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > MAX_USER_ID_LENGTH) {
    throw new TypeError(`the user id (sub) must be 1 to ${MAX_USER_ID_LENGTH} characters`);
  }
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    throw new TypeError(`the role must be one of ${ROLES.join(', ')}`);
  }
  const validGrants =
    Array.isArray(grants) &&
    grants.length <= MAX_GRANTS &&
    grants.every((grant) => typeof grant === 'string' && grant.length > 0 && grant.length <= MAX_GRANT_LENGTH);
  if (!validGrants) throw new TypeError(`grants must be at most ${MAX_GRANTS} non-empty strings`);
}
