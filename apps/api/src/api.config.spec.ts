import { randomBytes } from 'node:crypto';
import { generateNoteKey } from '@salur/audit-log';
import { ConfigurationError } from '@salur/config';
import { API_SECRETS, apiConfigFrom } from './api.config';

const SECRETS: Record<string, string> = {
  JWT_SECRET: randomBytes(48).toString('base64url'),
  BENEFICIARY_ID_KEY: randomBytes(32).toString('base64url'),
  CHECKPOINT_SIGNING_KEY: generateNoteKey('salur.example/ledger').signerKey,
  PERSONAL_DATA_MASTER_KEY: randomBytes(32).toString('base64'),
};
const PRODUCTION = { NODE_ENV: 'production', ...SECRETS };
const without = (variable: string) => ({ ...PRODUCTION, [variable]: '' });

describe('apiConfigFrom under NODE_ENV=production', () => {
  it.each(API_SECRETS)('refuses to start without %s, naming it', (variable) => {
    expect(() => apiConfigFrom(without(variable))).toThrow(ConfigurationError);
    expect(() => apiConfigFrom(without(variable))).toThrow(
      new RegExp(`^${variable}: is not set.*npm run cli -- setup`),
    );
  });

  it('names every missing secret at once', () => {
    expect(() => apiConfigFrom({ NODE_ENV: 'production' })).toThrow(
      /^JWT_SECRET, BENEFICIARY_ID_KEY, CHECKPOINT_SIGNING_KEY, PERSONAL_DATA_MASTER_KEY: are not set/,
    );
  });

  it('starts with every secret set, and uses them rather than the development keys', () => {
    const config = apiConfigFrom(PRODUCTION);
    expect(config.http.jwt).toMatchObject({ secret: SECRETS.JWT_SECRET, usesDevelopmentSecret: false });
    expect(config.ledger.beneficiaryIdKey).toBe(SECRETS.BENEFICIARY_ID_KEY);
    expect(config.auditLog.ephemeralKey).toBe(false);
    expect(config.personalData.usesDevelopmentKey).toBe(false);
  });

  it('leaves development unchanged: unset secrets fall back to the development keys', () => {
    const config = apiConfigFrom({});
    expect(config.http.jwt.usesDevelopmentSecret).toBe(true);
    expect(config.auditLog.ephemeralKey).toBe(true);
    expect(config.personalData.usesDevelopmentKey).toBe(true);
  });
});
