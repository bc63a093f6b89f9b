import { JwtService } from '@nestjs/jwt';
import { AccessTokens, MAX_TOKEN_TTL_SECONDS, TokenRejectedError } from './access-tokens';

const SECRET = 'unit-test-secret-that-is-long-enough-0123';
const tokens = new AccessTokens({ secret: SECRET, usesDevelopmentSecret: false });
const nowSeconds = () => Math.floor(Date.now() / 1000);
const sign = (payload: object, secret = SECRET) => new JwtService({ secret }).sign(payload, { algorithm: 'HS256' });

describe('AccessTokens', () => {
  it('verifies what it issues: user id, role and grants', () => {
    const token = tokens.issue({ userId: 'fo-3', role: 'finance-officer', grants: ['pii'], ttlSeconds: 60 });

    expect(tokens.verify(token)).toEqual({ userId: 'fo-3', role: 'finance-officer', grants: ['pii'] });
  });

  it('issues HS256 tokens of issuer salur with an expiry', () => {
    const token = tokens.issue({ userId: 'bank-bot', role: 'bank-integration', ttlSeconds: 3_600 });
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));

    expect(header).toMatchObject({ alg: 'HS256' });
    expect(payload).toMatchObject({ sub: 'bank-bot', role: 'bank-integration', iss: 'salur' });
    expect(payload.exp - payload.iat).toBe(3_600);
    expect(payload.grants).toBeUndefined();
  });

  it.each([
    ['a token of another key', sign({ sub: 'u', role: 'admin', iss: 'salur', exp: nowSeconds() + 60 }, 'k'.repeat(40))],
    ['a token without expiry', sign({ sub: 'u', role: 'admin', iss: 'salur' })],
    ['a token without issuer', sign({ sub: 'u', role: 'admin', exp: nowSeconds() + 60 })],
    ['a token with an unknown role', sign({ sub: 'u', role: 'root', iss: 'salur', exp: nowSeconds() + 60 })],
    ['a token with an empty user id', sign({ sub: '', role: 'admin', iss: 'salur', exp: nowSeconds() + 60 })],
    [
      'a token with grants not a list',
      sign({ sub: 'u', role: 'admin', grants: 'pii', iss: 'salur', exp: nowSeconds() + 60 }),
    ],
    ['a token that is too long', 'a'.repeat(9_000)],
  ])('rejects %s as invalid', (_, token) => {
    expect(() => tokens.verify(token)).toThrow(expect.objectContaining({ reason: 'invalid' }));
  });

  it('rejects an expired token as expired', () => {
    const token = sign({ sub: 'u', role: 'inspector', iss: 'salur', exp: nowSeconds() - 1 });

    expect(() => tokens.verify(token)).toThrow(TokenRejectedError);
    expect(() => tokens.verify(token)).toThrow(expect.objectContaining({ reason: 'expired' }));
  });

  it('refuses to issue a token for an unknown role, without expiry or beyond the longest lifetime', () => {
    expect(() => tokens.issue({ userId: 'u', role: 'root' as never, ttlSeconds: 60 })).toThrow(/role/);
    expect(() => tokens.issue({ userId: 'u', role: 'admin', ttlSeconds: 0 })).toThrow(RangeError);
    expect(() => tokens.issue({ userId: 'u', role: 'admin', ttlSeconds: MAX_TOKEN_TTL_SECONDS + 1 })).toThrow(
      RangeError,
    );
  });
});
