import { ConfigurationError } from '@salur/config';
import { httpSecurityConfigFrom, MAX_CORS_ORIGINS } from './http-security.config';

describe('httpSecurityConfigFrom', () => {
  it('keeps CORS closed and sends no HSTS by default', () => {
    expect(httpSecurityConfigFrom({})).toEqual({ corsOrigins: [], hstsMaxAgeSeconds: 0 });
  });

  it('reads a list of origins and an HSTS max-age', () => {
    const config = httpSecurityConfigFrom({
      CORS_ORIGINS: ' https://portal.example.go.id , http://localhost:5173',
      HSTS_MAX_AGE: '31536000',
    });

    expect(config).toEqual({
      corsOrigins: ['https://portal.example.go.id', 'http://localhost:5173'],
      hstsMaxAgeSeconds: 31_536_000,
    });
  });

  it.each([
    '*',
    'portal.example.go.id',
    'https://portal.example.go.id/',
    'https://portal.example.go.id/app',
    'ftp://x.example',
    'https://a.example,',
  ])('refuses %p as an origin, naming CORS_ORIGINS', (value) => {
    expect(() => httpSecurityConfigFrom({ CORS_ORIGINS: value })).toThrow(ConfigurationError);
    expect(() => httpSecurityConfigFrom({ CORS_ORIGINS: value })).toThrow(/^CORS_ORIGINS: /);
  });

  it('refuses more origins than its bound', () => {
    const origins = Array.from({ length: MAX_CORS_ORIGINS + 1 }, (_, index) => `https://p${index}.example`);

    expect(() => httpSecurityConfigFrom({ CORS_ORIGINS: origins.join(',') })).toThrow(/^CORS_ORIGINS: lists 21/);
  });

  it.each(['-1', '1.5', '63072001', 'a year'])('refuses HSTS_MAX_AGE=%p', (value) => {
    expect(() => httpSecurityConfigFrom({ HSTS_MAX_AGE: value })).toThrow(/^HSTS_MAX_AGE: /);
  });
});
