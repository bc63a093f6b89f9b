import { randomBytes } from 'node:crypto';
import { type CliOutput, CliUsageError } from '@salur/config';

export const PERSONAL_DATA_KEYGEN_USAGE = 'personal-data keygen';

/**
 * `personal-data keygen`: a new master key for PERSONAL_DATA_MASTER_KEY on stdout. Keep it in the
 * secret store, apart from the databases: whoever holds it and a copy of the key database can
 * read every beneficiary's personal data; losing it erases everyone.
 */
export function personalDataKeygenCommand(args: readonly string[], output: CliOutput): void {
  if (args.length > 0) throw new CliUsageError(`No arguments expected, not ${args.join(' ')}`);
  output.stdout(`PERSONAL_DATA_MASTER_KEY=${randomBytes(32).toString('base64')}`);
}
