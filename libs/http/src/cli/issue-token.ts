import { parseArgs } from 'node:util';
import { CliUsageError, type CliOutput, type Environment } from '@salur/config';
import { canonicalUserId, DomainError, ROLES, type Role } from '@salur/kernel';
import { AccessTokens, KNOWN_GRANTS } from '../auth/access-tokens';
import {
  DEVELOPMENT_SECRET_WARNING,
  durationSecondsOf,
  jwtConfigFrom,
  MAX_TOKEN_TTL_SECONDS,
} from '../http-platform.config';

export const ISSUE_TOKEN_USAGE = `token issue --user <id> --role <${ROLES.join('|')}> [--grant <${KNOWN_GRANTS.join(
  '|',
)}>]... [--ttl <8h>]`;

const DEFAULT_TTL = '8h';

/**
 * `npm run cli -- token issue --user u-17 --role finance-officer --grant pii --ttl 8h`: prints
 * a bearer token signed with JWT_SECRET (the development key when unset, with a warning on
 * stderr), so that stdout holds the token alone: `TOKEN=$(npm run -s cli -- token issue ...)`.
 */
export function issueTokenCommand(args: readonly string[], env: Environment, output: CliOutput): void {
  const { values } = parseCommandLine(args);
  if (!values.user) throw new CliUsageError('--user is required');
  const userId = canonicalUserOf(values.user);
  if (!values.role) throw new CliUsageError('--role is required');
  if (!(ROLES as readonly string[]).includes(values.role)) {
    throw new CliUsageError(`--role '${values.role}' is not one of ${ROLES.join(', ')}`);
  }
  const grants = [...new Set(values.grant ?? [])];
  const unknown = grants.filter((grant) => !(KNOWN_GRANTS as readonly string[]).includes(grant));
  if (unknown.length > 0) {
    throw new CliUsageError(`--grant ${unknown.join(', ')}: known grants are ${KNOWN_GRANTS.join(', ')}`);
  }
  const ttlSeconds = parseDuration(values.ttl ?? DEFAULT_TTL);

  const config = jwtConfigFrom(env);
  if (config.usesDevelopmentSecret) output.stderr(`Warning: ${DEVELOPMENT_SECRET_WARNING}`);
  if (ttlSeconds > config.maxTokenTtlSeconds) {
    throw new CliUsageError(`--ttl '${values.ttl}' is longer than JWT_MAX_TTL allows (${config.maxTokenTtlSeconds} s)`);
  }
  if (userId !== values.user) output.stderr(`Note: --user '${values.user}' is issued as '${userId}'`);
  let token: string;
  try {
    token = new AccessTokens(config).issue({ userId, role: values.role as Role, grants, ttlSeconds });
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) throw new CliUsageError(error.message);
    throw error;
  }
  output.stdout(token);
}

/** The id the token will carry: trimmed, lower case, and of the one pattern (see canonicalUserId). */
function canonicalUserOf(user: string): string {
  try {
    return canonicalUserId(user, '--user (the user id)');
  } catch (error) {
    if (error instanceof DomainError) throw new CliUsageError(error.message);
    throw error;
  }
}

function parseCommandLine(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: {
        user: { type: 'string' },
        role: { type: 'string' },
        grant: { type: 'string', multiple: true },
        ttl: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}

/** '45s', '30m', '8h', '7d' (or a number of seconds) to seconds, 1 s up to the maximum token lifetime. */
export function parseDuration(text: string): number {
  const seconds = durationSecondsOf(text);
  if (seconds === undefined) throw new CliUsageError(`--ttl '${text}' is not a duration such as 45s, 30m, 8h or 7d`);
  if (seconds > MAX_TOKEN_TTL_SECONDS) {
    throw new CliUsageError(`--ttl '${text}' is longer than the maximum of ${MAX_TOKEN_TTL_SECONDS / 86_400} days`);
  }
  return seconds;
}
