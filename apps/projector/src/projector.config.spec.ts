import { randomBytes } from 'node:crypto';
import { generateNoteKey } from '@salur/audit-log';
import { ConfigurationError } from '@salur/config';
import { DEFAULT_PROJECTOR_PORT, PROJECTOR_SECRETS, projectorConfigFrom } from './projector.config';

const SECRETS: Record<string, string> = {
  JWT_SECRET: randomBytes(48).toString('base64url'),
  CHECKPOINT_SIGNING_KEY: generateNoteKey('salur.example/ledger').signerKey,
  PERSONAL_DATA_MASTER_KEY: randomBytes(32).toString('base64'),
};
const PRODUCTION = { NODE_ENV: 'production', ...SECRETS };

describe('projectorConfigFrom under NODE_ENV=production', () => {
  it.each(PROJECTOR_SECRETS)('refuses to start without %s, naming it', (variable) => {
    const read = () => projectorConfigFrom({ ...PRODUCTION, [variable]: '' });
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(new RegExp(`^${variable}: is not set.*npm run cli -- setup`));
  });

  it('starts with its secrets set and signs with the given key; it needs no BENEFICIARY_ID_KEY', () => {
    const config = projectorConfigFrom(PRODUCTION);
    expect(config.auditLog.ephemeralKey).toBe(false);
    expect(config.http.jwt).toMatchObject({ secret: SECRETS.JWT_SECRET, usesDevelopmentSecret: false });
    expect(config.personalData.usesDevelopmentKey).toBe(false);
  });

  it('serves its probes beside the API by default, on PORT when given', () => {
    expect(projectorConfigFrom({}).port).toBe(DEFAULT_PROJECTOR_PORT);
    expect(projectorConfigFrom({ PORT: '9464' }).port).toBe(9464);
  });
});
