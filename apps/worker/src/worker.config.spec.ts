import { randomBytes } from 'node:crypto';
import { ConfigurationError } from '@salur/config';
import { WORKER_SECRETS, workerConfigFrom } from './worker.config';

const SECRETS: Record<string, string> = {
  BENEFICIARY_ID_KEY: randomBytes(32).toString('base64url'),
  PERSONAL_DATA_MASTER_KEY: randomBytes(32).toString('base64'),
};
const PRODUCTION = { NODE_ENV: 'production', ...SECRETS };

describe('workerConfigFrom under NODE_ENV=production', () => {
  it.each(WORKER_SECRETS)('refuses to start without %s, naming it', (variable) => {
    const read = () => workerConfigFrom({ ...PRODUCTION, [variable]: '' });
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(new RegExp(`^${variable}: is not set.*npm run cli -- setup`));
  });

  it('starts with its secrets set; it needs neither the token nor the checkpoint key', () => {
    const config = workerConfigFrom(PRODUCTION);
    expect(config.ledger.beneficiaryIdKey).toBe(SECRETS.BENEFICIARY_ID_KEY);
    expect(config.personalData.usesDevelopmentKey).toBe(false);
  });

  it('leaves development unchanged: unset secrets fall back to the development keys', () => {
    expect(workerConfigFrom({}).personalData.usesDevelopmentKey).toBe(true);
  });
});
