import { ConfigurationError } from '@salur/config';
import { DEVELOPMENT_JWT_SECRET, httpPlatformConfigFrom, MAX_TOKEN_TTL_SECONDS } from './http-platform.config';

describe('httpPlatformConfigFrom', () => {
  it('falls back to the development key, and says so, when JWT_SECRET is unset or blank', () => {
    for (const env of [{}, { JWT_SECRET: '   ' }]) {
      expect(httpPlatformConfigFrom(env).jwt).toEqual({
        secret: DEVELOPMENT_JWT_SECRET,
        usesDevelopmentSecret: true,
        maxTokenTtlSeconds: MAX_TOKEN_TTL_SECONDS,
      });
    }
  });

  it('uses a JWT_SECRET of 32 characters or more', () => {
    const secret = 's'.repeat(32);

    expect(httpPlatformConfigFrom({ JWT_SECRET: secret }).jwt).toEqual({
      secret,
      usesDevelopmentSecret: false,
      maxTokenTtlSeconds: MAX_TOKEN_TTL_SECONDS,
    });
  });

  it('refuses a short JWT_SECRET with a ConfigurationError naming the variable', () => {
    const read = () => httpPlatformConfigFrom({ JWT_SECRET: 'too-short' });

    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(/^JWT_SECRET: is 9 characters; it must be at least 32/);
  });

  it('reads JWT_MAX_TTL as the longest token lifetime, 31 days when unset', () => {
    expect(httpPlatformConfigFrom({}).jwt.maxTokenTtlSeconds).toBe(31 * 86_400);
    expect(httpPlatformConfigFrom({ JWT_MAX_TTL: '8h' }).jwt.maxTokenTtlSeconds).toBe(28_800);
    expect(httpPlatformConfigFrom({ JWT_MAX_TTL: '3600' }).jwt.maxTokenTtlSeconds).toBe(3_600);
  });

  it.each(['0', '8 hours', '1w', '32d'])('refuses JWT_MAX_TTL=%p naming the variable', (value) => {
    expect(() => httpPlatformConfigFrom({ JWT_MAX_TTL: value })).toThrow(ConfigurationError);
    expect(() => httpPlatformConfigFrom({ JWT_MAX_TTL: value })).toThrow(/^JWT_MAX_TTL: .* is not a duration/);
  });

  it('keeps the development key itself long enough to pass its own rule', () => {
    expect(DEVELOPMENT_JWT_SECRET.length).toBeGreaterThanOrEqual(32);
  });
});
