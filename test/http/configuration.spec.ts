import { ConfigurationError } from '@salur/config';
import { DEVELOPMENT_JWT_SECRET, MAX_TOKEN_TTL_SECONDS } from '@salur/http';
import { apiConfigFrom } from '../../apps/api/src/api.config';

describe('the API configuration of the HTTP platform', () => {
  it('signs with the development key when JWT_SECRET is unset (start-up warns)', () => {
    expect(apiConfigFrom({}).http.jwt).toEqual({
      secret: DEVELOPMENT_JWT_SECRET,
      usesDevelopmentSecret: true,
      maxTokenTtlSeconds: MAX_TOKEN_TTL_SECONDS,
    });
  });

  it('uses JWT_SECRET when set', () => {
    const secret = 'a-production-secret-of-sufficient-length-42';

    expect(apiConfigFrom({ JWT_SECRET: secret }).http.jwt).toEqual({
      secret,
      usesDevelopmentSecret: false,
      maxTokenTtlSeconds: MAX_TOKEN_TTL_SECONDS,
    });
  });

  it('refuses a short JWT_SECRET at start-up, naming the variable', () => {
    expect(() => apiConfigFrom({ JWT_SECRET: 'password' })).toThrow(ConfigurationError);
    expect(() => apiConfigFrom({ JWT_SECRET: 'password' })).toThrow(
      /^JWT_SECRET: is 8 characters; it must be at least 32/,
    );
  });
});
