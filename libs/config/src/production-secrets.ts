import { ConfigurationError } from './configuration-error';
import { Environment, readString } from './environment';

/** The command that writes every secret a production process needs (apps/cli setup). */
export const SETUP_COMMAND = 'npm run cli -- setup';

/**
 * A secret left unset falls back to a development key (one in the source code, or one made at
 * start-up) so that `npm start` works on a fresh machine. In production that fallback is a
 * hole: anyone can forge tokens with a public key, and checkpoints signed with a key made at
 * start-up cannot be verified after a restart. So with NODE_ENV=production the process refuses
 * to start instead, naming every missing secret at once: one fix of the file, not one restart
 * per variable.
 */
export function refuseDevelopmentSecretsInProduction(env: Environment, secrets: readonly string[]): void {
  if (readString(env, 'NODE_ENV', '') !== 'production') return;
  const missing = secrets.filter((variable) => readString(env, variable, '') === '');
  if (missing.length === 0) return;
  throw new ConfigurationError(
    missing.join(', '),
    `${missing.length === 1 ? 'is' : 'are'} not set, and with NODE_ENV=production the service does not fall back ` +
      `to the public development keys; \`${SETUP_COMMAND}\` writes fresh secrets to .env`,
  );
}
