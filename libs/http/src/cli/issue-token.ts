import { parseArgs } from 'node:util';
import { CliUsageError, type CliOutput, type Environment } from '@salur/config';
import { ROLES, type Role } from '@salur/kernel';
import { AccessTokens, KNOWN_GRANTS, MAX_TOKEN_TTL_SECONDS } from '../auth/access-tokens';
import { DEVELOPMENT_SECRET_WARNING, jwtConfigFrom } from '../http-platform.config';

export const ISSUE_TOKEN_USAGE = `token issue --user <id> --role <${ROLES.join('|')}> [--grant <${KNOWN_GRANTS.join(
  '|',
)}>]... [--ttl <8h>]`;

const DEFAULT_TTL = '8h';
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/**
 * `npm run cli -- token issue --user u-17 --role finance-officer --grant pii --ttl 8h`: prints
 * a bearer token signed with JWT_SECRET (the development key when unset, with a warning on
 * stderr), so that stdout holds the token alone: `TOKEN=$(npm run -s cli -- token issue ...)`.
 */
export function issueTokenCommand(args: readonly string[], env: Environment, output: CliOutput): void {
  const { values } = parseCommandLine(args);
  if (!values.user) throw new CliUsageError('--user is required');
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
  let token: string;
  try {
    token = new AccessTokens(config).issue({ userId: values.user, role: values.role as Role, grants, ttlSeconds });
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) throw new CliUsageError(error.message);
    throw error;
  }
  output.stdout(token);
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
  const match = /^([1-9][0-9]{0,7})([smhd]?)$/.exec(text);
  if (!match) throw new CliUsageError(`--ttl '${text}' is not a duration such as 45s, 30m, 8h or 7d`);
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] || 's'];
  if (seconds > MAX_TOKEN_TTL_SECONDS) {
    throw new CliUsageError(`--ttl '${text}' is longer than the maximum of ${MAX_TOKEN_TTL_SECONDS / 86_400} days`);
  }
  return seconds;
}
