import { ConfigurationError } from './configuration-error';
import { refuseDevelopmentSecretsInProduction } from './production-secrets';

const SECRETS = ['JWT_SECRET', 'BENEFICIARY_ID_KEY'];
const refuse = (env: Record<string, string>) => () => refuseDevelopmentSecretsInProduction(env, SECRETS);

describe('refuseDevelopmentSecretsInProduction', () => {
  it('names every missing secret in one error, and the command that writes them', () => {
    expect(refuse({ NODE_ENV: 'production' })).toThrow(ConfigurationError);
    expect(refuse({ NODE_ENV: 'production' })).toThrow(
      /^JWT_SECRET, BENEFICIARY_ID_KEY: are not set, .*`npm run cli -- setup` writes fresh secrets/,
    );
    expect(refuse({ NODE_ENV: 'production', JWT_SECRET: 'x', BENEFICIARY_ID_KEY: '  ' })).toThrow(
      /^BENEFICIARY_ID_KEY: is not set/,
    );
  });

  it('accepts production with every secret set, and leaves other environments to their fallbacks', () => {
    expect(refuse({ NODE_ENV: 'production', JWT_SECRET: 'x', BENEFICIARY_ID_KEY: 'y' })).not.toThrow();
    const others: Record<string, string>[] = [{}, { NODE_ENV: 'development' }, { NODE_ENV: 'test' }];
    for (const env of others) expect(refuse(env)).not.toThrow();
  });
});
