import { createSecretKey } from 'node:crypto';
import { JsonWebTokenError, JwtService, TokenExpiredError } from '@nestjs/jwt';
import { canonicalUserId, DomainError, ROLES, type Role } from '@salur/kernel';
import type { JwtConfig } from '../http-platform.config';
import type { AuthenticatedActor } from '../context/request-state';

export const TOKEN_ISSUER = 'salur';
export const TOKEN_ALGORITHM = 'HS256';
/** Grants the platform knows; the token CLI refuses others so that a typo does not silently grant nothing. */
export const KNOWN_GRANTS = ['pii'] as const;
export const MAX_GRANTS = 16;
const MAX_GRANT_LENGTH = 64;
/** A token longer than this is refused before any cryptography. */
export const MAX_TOKEN_LENGTH = 8_192;

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
 * The user id is canonical on both sides (`canonicalUserId`): a token issued or signed for
 * `FO-MAKER` acts as `fo-maker`, so four eyes sees one person.
 */
export class AccessTokens {
  private readonly jwt: JwtService;
  private readonly maxTtlSeconds: number;

  constructor(config: JwtConfig) {
    this.maxTtlSeconds = config.maxTokenTtlSeconds;
    // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a PEM
    // public key on every verify and builds the secret key only after that throws, which was the
    // largest single cost of an authenticated request (issue 7 profile).
    this.jwt = new JwtService({ secret: createSecretKey(Buffer.from(config.secret, 'utf8')) });
  }

  issue(request: TokenRequest): string {
    const userId = checkedClaims(request.userId, request.role, request.grants ?? []);
    const { ttlSeconds } = request;
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > this.maxTtlSeconds) {
      throw new RangeError(`A token lives 1 to ${this.maxTtlSeconds} seconds (JWT_MAX_TTL), not ${ttlSeconds}`);
    }
    const payload = request.grants?.length
      ? { role: request.role, grants: [...request.grants] }
      : { role: request.role };
    return this.jwt.sign(payload, {
      algorithm: TOKEN_ALGORITHM,
      issuer: TOKEN_ISSUER,
      subject: userId,
      expiresIn: ttlSeconds,
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
    this.assertLifetime(claims);
    return actorOf(claims);
  }

  /**
   * A token signed with the right key is still refused when it was made to live longer than the
   * configured maximum: measured from `iat` and from now, so neither a missing nor a future
   * `iat` stretches it.
   */
  private assertLifetime({ exp, iat }: Record<string, unknown>): void {
    // jsonwebtoken checks `exp` only when present; a token without one would never expire.
    if (typeof exp !== 'number') throw new TokenRejectedError('invalid', 'The bearer token has no expiry (exp)');
    if (iat !== undefined && typeof iat !== 'number') {
      throw new TokenRejectedError('invalid', 'The bearer token has an issue time (iat) that is not a number');
    }
    const nowSeconds = Math.floor(Date.now() / 1_000);
    const lifetimeSeconds = exp - Math.min(iat ?? nowSeconds, nowSeconds);
    if (lifetimeSeconds > this.maxTtlSeconds) {
      throw new TokenRejectedError(
        'invalid',
        `The bearer token lives ${lifetimeSeconds} seconds, longer than the ${this.maxTtlSeconds} this server ` +
          'accepts (JWT_MAX_TTL): issue a shorter-lived one',
      );
    }
  }
}

function actorOf(claims: Record<string, unknown>): AuthenticatedActor {
  const { sub, role, grants } = claims;
  const grantList = grants === undefined ? [] : grants;
  let userId: string;
  try {
    userId = checkedClaims(sub, role, grantList);
  } catch (error) {
    throw new TokenRejectedError('invalid', `The bearer token's claims are not valid: ${(error as Error).message}`);
  }
  return { userId, role: role as Role, grants: Object.freeze([...(grantList as string[])]) };
}

/** Checks the claims' shapes; the user id comes back canonical. */
function checkedClaims(userId: unknown, role: unknown, grants: unknown): string {
  let canonical: string;
  try {
    canonical = canonicalUserId(userId, 'the user id (sub)');
  } catch (error) {
    if (error instanceof DomainError) throw new TypeError(error.message);
    throw error;
  }
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    throw new TypeError(`the role must be one of ${ROLES.join(', ')}`);
  }
  const validGrants =
    Array.isArray(grants) &&
    grants.length <= MAX_GRANTS &&
    grants.every((grant) => typeof grant === 'string' && grant.length > 0 && grant.length <= MAX_GRANT_LENGTH);
  if (!validGrants) throw new TypeError(`grants must be at most ${MAX_GRANTS} non-empty strings`);
  return canonical;
}
