import { ConfigurationError } from '@salur/config';
import { DEVELOPMENT_JWT_SECRET, httpPlatformConfigFrom } from './http-platform.config';

describe('httpPlatformConfigFrom', () => {
  it('falls back to the development key, and says so, when JWT_SECRET is unset or blank', () => {
    for (const env of [{}, { JWT_SECRET: '   ' }]) {
      expect(httpPlatformConfigFrom(env).jwt).toEqual({ secret: DEVELOPMENT_JWT_SECRET, usesDevelopmentSecret: true });
    }
  });

  it('uses a JWT_SECRET of 32 characters or more', () => {
    const secret = 's'.repeat(32);

    expect(httpPlatformConfigFrom({ JWT_SECRET: secret }).jwt).toEqual({ secret, usesDevelopmentSecret: false });
  });

  it('refuses a short JWT_SECRET with a ConfigurationError naming the variable', () => {
    const read = () => httpPlatformConfigFrom({ JWT_SECRET: 'too-short' });

    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(/^JWT_SECRET: is 9 characters; it must be at least 32/);
  });

  it('keeps the development key itself long enough to pass its own rule', () => {
    expect(DEVELOPMENT_JWT_SECRET.length).toBeGreaterThanOrEqual(32);
  });
});
