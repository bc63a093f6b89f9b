import { JwtService } from '@nestjs/jwt';
import { http } from '../support/http';
import { bearer, RunningApi, startApi, TEST_JWT_SECRET } from './support/test-api';
import { ExecutionLog, TestCommandsController } from './support/test-commands.controller';

let api: RunningApi;
let log: ExecutionLog;
beforeAll(async () => {
  api = await startApi({ controllers: [TestCommandsController], providers: [ExecutionLog] });
  log = api.app.get(ExecutionLog);
});
afterAll(() => api.close());

const whoami = () => `${api.url}/test-commands/whoami`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

function signed(payload: object, secret = TEST_JWT_SECRET): string {
  return new JwtService({ secret }).sign(payload, { algorithm: 'HS256' });
}

describe('authentication (401)', () => {
  it('refuses a request without a token, saying how to get one', async () => {
    const response = await http<{ code: string; message: string }>('GET', whoami());

    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ statusCode: 401, code: 'TOKEN_MISSING' });
    expect(response.body.message).toContain('token issue');
    expect(response.headers['www-authenticate']).toContain('Bearer');
  });

  it.each([
    [
      'signed with another key',
      () => signed({ sub: 'u1', role: 'inspector', iss: 'salur', exp: nowSeconds() + 60 }, 'x'.repeat(40)),
    ],
    ['of another issuer', () => signed({ sub: 'u1', role: 'inspector', iss: 'someone-else', exp: nowSeconds() + 60 })],
    ['without an expiry', () => signed({ sub: 'u1', role: 'inspector', iss: 'salur' })],
    ['with an unknown role', () => signed({ sub: 'u1', role: 'superuser', iss: 'salur', exp: nowSeconds() + 60 })],
    ['without a subject', () => signed({ role: 'inspector', iss: 'salur', exp: nowSeconds() + 60 })],
    [
      'with grants that are not strings',
      () => signed({ sub: 'u1', role: 'inspector', grants: [1], iss: 'salur', exp: nowSeconds() + 60 }),
    ],
    ['unsigned (alg none)', () => unsignedToken({ sub: 'u1', role: 'admin', iss: 'salur', exp: nowSeconds() + 60 })],
    ['that is not a JWT', () => 'not-a-token'],
  ])('refuses a token %s with TOKEN_INVALID', async (_, token) => {
    const response = await http('GET', whoami(), { headers: bearer(token()) });

    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ statusCode: 401, code: 'TOKEN_INVALID' });
    expect(response.headers['www-authenticate']).toContain('invalid_token');
  });

  it('refuses an expired token with TOKEN_EXPIRED', async () => {
    const token = signed({ sub: 'u1', role: 'inspector', iss: 'salur', exp: nowSeconds() - 60 });

    const response = await http('GET', whoami(), { headers: bearer(token) });

    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('refuses a token signed with the right key that lives longer than JWT_MAX_TTL (31 days by default)', async () => {
    const iat = nowSeconds();
    const token = signed({ sub: 'u1', role: 'inspector', iss: 'salur', iat, exp: iat + 40 * 86_400 });

    const response = await http<{ code: string; message: string }>('GET', whoami(), { headers: bearer(token) });

    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'TOKEN_INVALID' });
    expect(response.body.message).toMatch(/longer than the 2678400 .*JWT_MAX_TTL/);
  });

  it('refuses a token whose subject is not a valid user id', async () => {
    const token = signed({ sub: 'f\u043e-maker', role: 'inspector', iss: 'salur', exp: nowSeconds() + 60 });

    const response = await http<{ code: string; message: string }>('GET', whoami(), { headers: bearer(token) });

    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'TOKEN_INVALID' });
    expect(response.body.message).toContain('user id (sub)');
  });

  it('refuses an Authorization header that is not a bearer token', async () => {
    const response = await http('GET', whoami(), { headers: { authorization: 'Basic dXNlcjpwYXNz' } });

    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'TOKEN_INVALID' });
  });
});

describe('roles (403)', () => {
  it('refuses a role the handler does not list, without executing it', async () => {
    const response = await http<{ message: string }>('POST', `${api.url}/test-commands/accept`, {
      headers: bearer(api.token('inspector')),
    });

    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ statusCode: 403, code: 'ROLE_NOT_ALLOWED' });
    expect(response.body.message).toContain('finance-officer, admin');
    expect(log.count('accept')).toBe(0);
  });

  it('does not let admin in where admin is not listed', async () => {
    const response = await http('GET', whoami(), { headers: bearer(api.token('admin')) });

    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: 'ROLE_NOT_ALLOWED' });
  });

  it('lets admin in where it is listed', async () => {
    const response = await http('POST', `${api.url}/test-commands/accept`, { headers: bearer(api.token('admin')) });

    expect(response.status).toBe(202);
  });

  it.each(['admin', 'finance-officer', 'inspector'] as const)(
    'closes a handler without @Roles to every role (%s): a forgotten decorator fails closed',
    async (role) => {
      const response = await http('POST', `${api.url}/test-commands/forgotten`, { headers: bearer(api.token(role)) });

      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ code: 'NO_ROLES_DECLARED' });
      expect(log.count('forgotten')).toBe(0);
    },
  );

  it('still answers 401 first when a handler without @Roles is called without a token', async () => {
    const response = await http('POST', `${api.url}/test-commands/forgotten`);

    expect(response.status).toBe(401);
  });
});

describe('the authenticated actor', () => {
  it('reaches the handler as the actor (with grants) and as the command context (without them)', async () => {
    const token = api.tokens.issue({ userId: 'insp-7', role: 'inspector', grants: ['pii'], ttlSeconds: 60 });

    const response = await http<{ actor: unknown; context: Record<string, unknown> }>('GET', whoami(), {
      headers: bearer(token, { 'x-correlation-id': 'audit-2026-11:42' }),
    });

    expect(response.status).toBe(200);
    expect(response.body.actor).toEqual({ userId: 'insp-7', role: 'inspector', grants: ['pii'] });
    expect(response.body.context).toEqual({
      actor: { userId: 'insp-7', role: 'inspector' },
      grants: ['pii'],
      now: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      correlationId: 'audit-2026-11:42',
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });
});

describe('the authenticated actor under another spelling', () => {
  it.each(['INSP-7', 'insp-7 ', ' Insp-7'])(
    'reaches the handler as the canonical user id from a token for %j',
    async (sub) => {
      const token = signed({ sub, role: 'inspector', iss: 'salur', exp: nowSeconds() + 60 });

      const response = await http<{ actor: unknown; context: Record<string, unknown> }>('GET', whoami(), {
        headers: bearer(token),
      });

      expect(response.status).toBe(200);
      expect(response.body.actor).toMatchObject({ userId: 'insp-7' });
      expect(response.body.context).toMatchObject({ actor: { userId: 'insp-7', role: 'inspector' } });
    },
  );
});

describe('public routes', () => {
  it('serves /health without a token', async () => {
    const response = await http('GET', `${api.url}/health`);

    expect(response.status).toBe(200);
  });

  it('serves Swagger UI at /docs from local assets, without a token', async () => {
    const page = await http('GET', `${api.url}/docs`);
    const bundle = await http('GET', `${api.url}/docs/swagger-ui-bundle.js`);
    const init = await http('GET', `${api.url}/docs/swagger-ui-init.js`);

    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger-ui');
    expect(page.text).not.toMatch(/(src|href)="https?:\/\//);
    expect(bundle.status).toBe(200);
    expect(bundle.text.length).toBeGreaterThan(100_000);
    // The online validator would be the one network call Swagger UI makes by itself.
    expect(init.text).toContain('"validatorUrl": null');
  });

  it('serves the OpenAPI document at /docs-json: bearer auth, roles per operation, DTO schemas', async () => {
    const response = await http<OpenApiDocument>('GET', `${api.url}/docs-json`);
    const document = response.body;
    const pay = document.paths['/test-commands/pay'].post;
    const health = document.paths['/health'].get;

    expect(response.status).toBe(200);
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(pay.security).toEqual([{ bearer: [] }]);
    expect(pay['x-roles']).toEqual(['finance-officer']);
    expect(pay.parameters.map((parameter) => parameter.name)).toEqual(['X-Correlation-Id', 'Idempotency-Key']);
    expect(health.security).toBeUndefined();
    expect(document.components.schemas.PayDto.properties).toMatchObject({
      amount: { type: 'string', example: '600000.00', description: 'What the beneficiary receives' },
      period: { type: 'string', pattern: '^[1-9][0-9]{3}-(0[1-9]|1[0-2]|Q[1-4]|[A-Z]{3,16})$' },
      beneficiaryId: { type: 'string', format: 'uuid' },
    });
    expect(document.components.schemas.ErrorResponse.required).toEqual(['statusCode', 'code', 'message']);
  });
});

interface OpenApiOperation {
  security?: unknown;
  'x-roles'?: string[];
  parameters: Array<{ name: string }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    securitySchemes: Record<string, unknown>;
    schemas: Record<string, { properties: Record<string, unknown>; required?: string[] }>;
  };
}

function unsignedToken(payload: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
}
