import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CHECKPOINT_ORIGIN, NoteKeyError } from '@salur/audit-log';
import { CliUsageError, type CliOutput, type Environment } from '@salur/config';
import { assertServiceReads, freshSecrets, FreshSecrets, productionEnvFile } from './production-env';
import { writeOwnerOnlyFile } from '../owner-only-file';

export const SETUP_USAGE = 'setup [--out <path, .env>] [--force] [--origin <checkpoint origin>]';

const DEFAULT_ENV_FILE = '.env';

/**
 * `npm run cli -- setup`: writes a production .env (mode 0600) with fresh secrets. stdout gets
 * one line, `CHECKPOINT_VERIFIER_KEY=<vkey>`, the public key to publish; no secret is printed.
 * An existing file is kept (exit 1) unless --force: its secrets may already key a ledger, and a
 * new BENEFICIARY_ID_KEY or PERSONAL_DATA_MASTER_KEY would orphan what was written with the old.
 */
export function setupCommand(
  args: readonly string[],
  env: Environment,
  output: CliOutput,
  now: () => Date = () => new Date(),
): number | void {
  const { values } = parseCommandLine(args);
  const path = resolve(values.out ?? DEFAULT_ENV_FILE);
  const origin = values.origin ?? (env.CHECKPOINT_ORIGIN?.trim() || DEFAULT_CHECKPOINT_ORIGIN);
  const secrets = secretsFor(origin);
  const text = productionEnvFile(secrets, { origin, writtenAt: now().toISOString() });
  assertServiceReads(text, secrets);
  const replace = values.force === true;
  let written: boolean;
  try {
    written = writeOwnerOnlyFile(path, text, replace);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'EACCES' && code !== 'EISDIR') throw error;
    output.stderr(`Cannot write ${path}: ${(error as Error).message}`);
    return 1;
  }
  if (!written) {
    output.stderr(`${path} exists and was not overwritten: its secrets may be in use (--force replaces them)`);
    return 1;
  }
  output.stdout(`CHECKPOINT_VERIFIER_KEY=${secrets.checkpointVerifierKey}`);
  if (replace) output.stderr(`Replaced ${path}: the secrets it held before are gone.`);
  if (origin === DEFAULT_CHECKPOINT_ORIGIN) {
    output.stderr(
      `Note: the log is named ${origin}, a placeholder; inspectors pin the name, so choose yours with --origin.`,
    );
  }
  output.stderr(
    `Wrote ${path} (mode 0600) with JWT_SECRET, BENEFICIARY_ID_KEY, CHECKPOINT_SIGNING_KEY and PERSONAL_DATA_MASTER_KEY. ` +
      `Publish CHECKPOINT_VERIFIER_KEY for inspectors (salur-verify --vkey); start the service with node --env-file=${path}.`,
  );
}

function secretsFor(origin: string): FreshSecrets {
  try {
    return freshSecrets(origin);
  } catch (error) {
    if (error instanceof NoteKeyError) throw new CliUsageError(`--origin: ${error.message}`);
    throw error;
  }
}

function parseCommandLine(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      // Not `--env-file`: Node 20 takes that flag for itself wherever it stands on the command line
      // (even after the script's name) and exits when the file does not exist yet.
      options: { out: { type: 'string' }, force: { type: 'boolean' }, origin: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}
