import { ConfigurationError, Environment, readString } from '@salur/config';
import type { ReadModelConfig } from '@salur/database';
import { idempotencyDatabaseFrom } from './idempotency/idempotency.database';
import { HttpSecurityConfig, httpSecurityConfigFrom } from './security/http-security.config';

/** Tokens shorter than this could be brute-forced offline from one captured token (HS256 is symmetric). */
export const MIN_JWT_SECRET_LENGTH = 32;

/**
 * Used when JWT_SECRET is unset so that `npm start` works on a fresh machine. It is public (it
 * is in the source), so anyone can sign tokens for a server that uses it: start-up warns loudly.
 */
export const DEVELOPMENT_JWT_SECRET = 'salur-development-only-signing-key-never-use-in-production';

/** The longest a token may live, and JWT_MAX_TTL's default: machine tokens (bank-integration) live longest. */
export const MAX_TOKEN_TTL_SECONDS = 31 * 24 * 3_600;

export interface JwtConfig {
  readonly secret: string;
  /** True when JWT_SECRET was unset and the public development key is in use. */
  readonly usesDevelopmentSecret: boolean;
  /**
   * JWT_MAX_TTL: the verifier refuses a token meant to live longer than this (exp − iat, and
   * exp − now), so a token signed with the right key but outside the CLI stays bounded too.
   */
  readonly maxTokenTtlSeconds: number;
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
  /** Where the idempotency records live: see idempotency/idempotency.database.ts. */
  readonly idempotencyDatabase: ReadModelConfig;
  /** Which browser origins may call the API (CORS_ORIGINS) and whether HSTS is sent (HSTS_MAX_AGE). */
  readonly security: HttpSecurityConfig;
}

export const DEFAULT_IDEMPOTENCY_CONFIG: IdempotencyConfig = {
  inProgressLeaseMs: 120_000,
  maxStoredBodyBytes: 65_536,
};

/** Reads the HTTP platform's settings; a bad value throws a ConfigurationError naming the variable. */
export function httpPlatformConfigFrom(env: Environment): HttpPlatformConfig {
  return {
    jwt: jwtConfigFrom(env),
    idempotency: DEFAULT_IDEMPOTENCY_CONFIG,
    idempotencyDatabase: idempotencyDatabaseFrom(env),
    security: httpSecurityConfigFrom(env),
  };
}

export function jwtConfigFrom(env: Environment): JwtConfig {
  const maxTokenTtlSeconds = maxTokenTtlFrom(env);
  const secret = readString(env, 'JWT_SECRET', '');
  if (!secret) return { secret: DEVELOPMENT_JWT_SECRET, usesDevelopmentSecret: true, maxTokenTtlSeconds };
  if (secret.length < MIN_JWT_SECRET_LENGTH) {
    throw new ConfigurationError(
      'JWT_SECRET',
      `is ${secret.length} characters; it must be at least ${MIN_JWT_SECRET_LENGTH} (use a random string, e.g. openssl rand -base64 48)`,
    );
  }
  return { secret, usesDevelopmentSecret: false, maxTokenTtlSeconds };
}

/** JWT_MAX_TTL may lower the longest lifetime, never raise it past MAX_TOKEN_TTL_SECONDS. */
function maxTokenTtlFrom(env: Environment): number {
  const text = readString(env, 'JWT_MAX_TTL', '');
  if (!text) return MAX_TOKEN_TTL_SECONDS;
  const seconds = durationSecondsOf(text);
  if (seconds === undefined || seconds > MAX_TOKEN_TTL_SECONDS) {
    throw new ConfigurationError(
      'JWT_MAX_TTL',
      `'${text}' is not a duration from 1s to ${MAX_TOKEN_TTL_SECONDS / 86_400}d (e.g. 8h, 7d)`,
    );
  }
  return seconds;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/** '45s', '30m', '8h', '7d' or a bare number of seconds; undefined when the text is none of these. */
export function durationSecondsOf(text: string): number | undefined {
  const match = /^([1-9][0-9]{0,7})([smhd]?)$/.exec(text);
  return match ? Number(match[1]) * UNIT_SECONDS[match[2] || 's'] : undefined;
}

export const DEVELOPMENT_SECRET_WARNING =
  'JWT_SECRET is not set: tokens are signed with the public development key from the source code, ' +
  `so anyone can forge them. Production must set JWT_SECRET (${MIN_JWT_SECRET_LENGTH}+ random characters).`;
