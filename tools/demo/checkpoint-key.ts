import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_CHECKPOINT_ORIGIN, generateNoteKey } from '@salur/audit-log';
import type { Environment } from '@salur/config';
import { isUnset } from './demo-settings';

export const SIGNING_KEY_FILE = 'checkpoint-signing.key';

export interface DemoSigningKey {
  readonly signerKey: string;
  readonly file: string;
}

/**
 * Without CHECKPOINT_SIGNING_KEY the service signs with a key made at start-up and lost at exit,
 * and nothing it signed could be checked against the key of a later `npm start` on the same
 * data. The demo makes a key instead and keeps it in its folder (owner-only), so that the data
 * it leaves stays one log under one key. Undefined when the user set their own.
 */
export async function demoSigningKey(env: Environment, folder: string): Promise<DemoSigningKey | undefined> {
  if (!isUnset(env, 'CHECKPOINT_SIGNING_KEY')) return undefined;
  const origin = env.CHECKPOINT_ORIGIN?.trim() || DEFAULT_CHECKPOINT_ORIGIN;
  const { signerKey } = generateNoteKey(origin);
  const file = join(folder, SIGNING_KEY_FILE);
  await writeFile(file, `${signerKey}\n`, { mode: 0o600 });
  return { signerKey, file };
}
