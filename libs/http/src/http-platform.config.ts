import { ConfigurationError, Environment, readString } from '@salur/config';

/** Tokens shorter than this could be brute-forced offline from one captured token (HS256 is symmetric). */
export const MIN_JWT_SECRET_LENGTH = 32;

/**
 * Used when JWT_SECRET is unset so that `npm start` works on a fresh machine. It is public (it
 * is in the source), so anyone can sign tokens for a server that uses it: start-up warns loudly.
 */
export const DEVELOPMENT_JWT_SECRET = 'salur-development-only-signing-key-never-use-in-production';

export interface JwtConfig {
  readonly secret: string;
  /** True when JWT_SECRET was unset and the public development key is in use. */
  readonly usesDevelopmentSecret: boolean;
}

export interface IdempotencyConfig {
  /**
   * How long a started request blocks its key. A request whose process died before it answered
   * leaves its record "started"; after this time a retry may execute again. It must exceed the
   * longest a command handler runs, or a slow first attempt and a retry could both execute.
   */
  readonly inProgressLeaseMs: number;
  /** A stored answer larger than this keeps its status but not its body (see README). */
  readonly maxStoredBodyBytes: number;
}

export interface HttpPlatformConfig {
  readonly jwt: JwtConfig;
  readonly idempotency: IdempotencyConfig;
}

export const DEFAULT_IDEMPOTENCY_CONFIG: IdempotencyConfig = {
  inProgressLeaseMs: 120_000,
  maxStoredBodyBytes: 65_536,
};

/** Reads the HTTP platform's settings; a bad value throws a ConfigurationError naming the variable. */
export function httpPlatformConfigFrom(env: Environment): HttpPlatformConfig {
  return { jwt: jwtConfigFrom(env), idempotency: DEFAULT_IDEMPOTENCY_CONFIG };
}

export function jwtConfigFrom(env: Environment): JwtConfig {
  const secret = readString(env, 'JWT_SECRET', '');
  if (!secret) return { secret: DEVELOPMENT_JWT_SECRET, usesDevelopmentSecret: true };
  if (secret.length < MIN_JWT_SECRET_LENGTH) {
    throw new ConfigurationError(
      'JWT_SECRET',
      `is ${secret.length} characters; it must be at least ${MIN_JWT_SECRET_LENGTH} (use a random string, e.g. openssl rand -base64 48)`,
    );
  }
  return { secret, usesDevelopmentSecret: false };
}

export const DEVELOPMENT_SECRET_WARNING =
  'JWT_SECRET is not set: tokens are signed with the public development key from the source code, ' +
  `so anyone can forge them. Production must set JWT_SECRET (${MIN_JWT_SECRET_LENGTH}+ random characters).`;
