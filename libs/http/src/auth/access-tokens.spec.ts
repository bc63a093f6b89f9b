import { JwtService } from '@nestjs/jwt';
import { MAX_TOKEN_TTL_SECONDS } from '../http-platform.config';
import { AccessTokens, TokenRejectedError } from './access-tokens';

const SECRET = 'unit-test-secret-that-is-long-enough-0123';
const tokens = new AccessTokens({
  secret: SECRET,
  usesDevelopmentSecret: false,
  maxTokenTtlSeconds: MAX_TOKEN_TTL_SECONDS,
});
const nowSeconds = () => Math.floor(Date.now() / 1000);
const sign = (payload: object, secret = SECRET, withIssueTime = true) =>
  new JwtService({ secret }).sign(payload, { algorithm: 'HS256', noTimestamp: !withIssueTime });

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

  it.each([
    ['FO-MAKER', 'fo-maker'],
    ['fo-maker ', 'fo-maker'],
    [' Fo-Maker', 'fo-maker'],
  ])('reads a token signed for %j as the canonical user %j', (sub, userId) => {
    const token = sign({ sub, role: 'finance-officer', iss: 'salur', exp: nowSeconds() + 60 });

    expect(tokens.verify(token)).toMatchObject({ userId, role: 'finance-officer' });
  });

  it('issues tokens under the canonical user id', () => {
    const token = tokens.issue({ userId: ' FO-Maker ', role: 'finance-officer', ttlSeconds: 60 });

    expect(tokens.verify(token).userId).toBe('fo-maker');
    expect(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub).toBe('fo-maker');
  });

  it.each([
    ['a Cyrillic о', 'f\u043e-maker'],
    ['a space inside', 'fo maker'],
    ['a number', 17],
    ['129 characters', 'u'.repeat(129)],
  ])('rejects a token whose user id (sub) has %s as invalid', (_, sub) => {
    const token = sign({ sub, role: 'finance-officer', iss: 'salur', exp: nowSeconds() + 60 });

    expect(() => tokens.verify(token)).toThrow(expect.objectContaining({ reason: 'invalid' }));
    expect(() => tokens.verify(token)).toThrow(/user id \(sub\)/);
  });

  it('refuses to issue a token for an invalid user id', () => {
    expect(() => tokens.issue({ userId: 'f\u043e-maker', role: 'admin', ttlSeconds: 60 })).toThrow(TypeError);
  });

  describe('the longest lifetime (JWT_MAX_TTL)', () => {
    const short = new AccessTokens({ secret: SECRET, usesDevelopmentSecret: false, maxTokenTtlSeconds: 3_600 });

    it('rejects a token signed with the right key that lives longer than the maximum', () => {
      const iat = nowSeconds();
      const token = sign({ sub: 'u', role: 'admin', iss: 'salur', iat, exp: iat + 3_601 });

      expect(() => short.verify(token)).toThrow(expect.objectContaining({ reason: 'invalid' }));
      expect(() => short.verify(token)).toThrow(/lives 3601 seconds, longer than the 3600 .*JWT_MAX_TTL/);
    });

    it('measures a token without iat from now', () => {
      const token = sign({ sub: 'u', role: 'admin', iss: 'salur', exp: nowSeconds() + 7_200 }, SECRET, false);

      expect(() => short.verify(token)).toThrow(/longer than the 3600/);
    });

    it('measures from now when iat lies in the future', () => {
      const iat = nowSeconds() + 86_400;
      const token = sign({ sub: 'u', role: 'admin', iss: 'salur', iat, exp: iat + 60 });

      expect(() => short.verify(token)).toThrow(/longer than the 3600/);
    });

    it('accepts a token of exactly the maximum, and refuses to issue a longer one', () => {
      expect(short.verify(short.issue({ userId: 'u', role: 'admin', ttlSeconds: 3_600 })).userId).toBe('u');
      expect(() => short.issue({ userId: 'u', role: 'admin', ttlSeconds: 3_601 })).toThrow(RangeError);
    });

    it('rejects, at the default maximum, a token signed with the right key that lives a second over 31 days', () => {
      const iat = nowSeconds();
      const token = sign({ sub: 'u', role: 'admin', iss: 'salur', iat, exp: iat + MAX_TOKEN_TTL_SECONDS + 1 });

      expect(() => tokens.verify(token)).toThrow(expect.objectContaining({ reason: 'invalid' }));
    });
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
