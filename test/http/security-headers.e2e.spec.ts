import { http, HttpResponse } from '../support/http';
import { bearer, RunningApi, startApi } from './support/test-api';

/**
 * Issue 14: helmet's headers and a content security policy on everything the API serves (JSON,
 * errors, the Swagger page), HSTS only where configured, and CORS closed unless CORS_ORIGINS
 * lists the origin. The API is configured by apps/api's configureApi, as in production.
 */
const PORTAL = 'https://portal.example.go.id';

function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The directives of a Content-Security-Policy header, by name. */
function policyOf(response: HttpResponse): Map<string, string[]> {
  const policy = header(response, 'content-security-policy') ?? '';
  return new Map(
    policy
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name, sources]),
  );
}

function expectCommonHeaders(response: HttpResponse): void {
  expect(header(response, 'x-content-type-options')).toBe('nosniff');
  expect(header(response, 'x-frame-options')).toBe('DENY');
  expect(header(response, 'referrer-policy')).toBe('no-referrer');
  expect(header(response, 'x-powered-by')).toBeUndefined();
  expect(policyOf(response).get('frame-ancestors')).toEqual(["'none'"]);
}

function preflight(api: RunningApi, origin: string): Promise<HttpResponse> {
  return http('OPTIONS', `${api.url}/programmes`, {
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    },
  });
}

describe('security headers and CORS, as configured by default', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api?.close());

  it('puts them on a JSON answer, with a policy that lets the answer load nothing', async () => {
    const response = await http('GET', `${api.url}/programmes`, { headers: bearer(api.token('admin')) });

    expect(response.status).toBe(200);
    expectCommonHeaders(response);
    expect(policyOf(response).get('default-src')).toEqual(["'none'"]);
    expect(header(response, 'strict-transport-security')).toBeUndefined();
  });

  it('puts them on an error answer', async () => {
    const unauthenticated = await http('GET', `${api.url}/programmes`);
    const malformed = await http('POST', `${api.url}/programmes`, {
      rawBody: '{"code":',
      headers: bearer(api.token('programme-officer'), { 'content-type': 'application/json' }),
    });

    for (const [response, status] of [
      [unauthenticated, 401],
      [malformed, 400],
    ] as const) {
      expect(response.status).toBe(status);
      expectCommonHeaders(response);
      expect(policyOf(response).get('default-src')).toEqual(["'none'"]);
    }
  });

  it('puts them on the Swagger page, whose scripts and styles all come from the API itself', async () => {
    const page = await http<string>('GET', `${api.url}/docs`);
    const document = await http('GET', `${api.url}/docs-json`);

    expect(page.status).toBe(200);
    expectCommonHeaders(page);
    const policy = policyOf(page);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    // What the policy allows is what the page needs: no inline script, every asset from this origin.
    const scripts = [...page.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="(?!https?:|\/\/)[^"]+"/);
      expect(body.trim()).toBe('');
    }
    for (const [, source] of page.text.matchAll(/(?:src|href)="([^"]+)"/g)) {
      expect(source).not.toMatch(/^(https?:)?\/\//);
      const asset = await http('GET', new URL(source, `${api.url}/docs`).toString());
      expect(asset.status).toBe(200);
      expectCommonHeaders(asset);
    }
    expect(document.status).toBe(200);
    expectCommonHeaders(document);
    expect(policyOf(document).get('default-src')).toEqual(["'none'"]);
  });

  it('answers a cross-origin preflight without allowing the origin', async () => {
    const response = await preflight(api, PORTAL);

    expect(header(response, 'access-control-allow-origin')).toBeUndefined();
    expectCommonHeaders(response);
  });
});

describe('security headers and CORS, configured for a portal behind TLS', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ env: { CORS_ORIGINS: `${PORTAL}, https://other.example.go.id`, HSTS_MAX_AGE: '31536000' } });
  });
  afterAll(() => api?.close());

  it('allows a listed origin, and only a listed one', async () => {
    const listed = await preflight(api, PORTAL);
    const unlisted = await preflight(api, 'https://evil.example');
    const request = await http('GET', `${api.url}/programmes`, {
      headers: bearer(api.token('admin'), { origin: PORTAL }),
    });

    expect(listed.status).toBe(204);
    expect(header(listed, 'access-control-allow-origin')).toBe(PORTAL);
    expect(header(listed, 'access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(header(listed, 'access-control-allow-credentials')).toBeUndefined();
    expect(header(unlisted, 'access-control-allow-origin')).toBeUndefined();
    expect(request.status).toBe(200);
    expect(header(request, 'access-control-allow-origin')).toBe(PORTAL);
    expect(header(request, 'access-control-expose-headers')).toContain('X-Correlation-Id');
  });

  it('sends Strict-Transport-Security', async () => {
    const response = await http('GET', `${api.url}/programmes`, { headers: bearer(api.token('admin')) });

    expect(header(response, 'strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });
});
