import { createHmac } from 'node:crypto';
import { ROLES, Role } from '@salur/kernel';
import { LedgerApi, startLedgerApi } from '../ledger/ledger-api';
import { Exchange, Operation, operationsOf, send } from './support/openapi-operations';

/**
 * Hostile input at every endpoint the OpenAPI document lists: malformed JSON, wrong types,
 * floats and exponents for amounts, deep nesting, a huge body, unicode tricks, SQL-like and
 * path-traversal strings, missing, forged, expired and unsigned tokens, and every other role's
 * token. Every answer must be a 4xx JSON error with a code, never a 5xx, and the log's head must
 * not move: nothing is written.
 */
const HOSTILE_SEGMENTS = [
  "' OR 1=1 --",
  '../../etc/passwd',
  '%00',
  'ｐａｙｍｅｎｔ',
  '\u202Eevil',
  '1e5',
  'x'.repeat(3_000),
  '00000000-0000-0000-0000-000000000000',
];

/** Public on purpose: liveness and readiness probes for orchestrators and load balancers. */
const PUBLIC_PATHS = new Set(['/health', '/health/live', '/health/ready']);

function deep(levels: number): string {
  return '['.repeat(levels) + ']'.repeat(levels);
}

const HOSTILE_BODIES: ReadonlyArray<[string, string | Buffer]> = [
  ['truncated JSON', '{"code": "PKH", "name":'],
  ['a bare string', '"hello"'],
  ['null', 'null'],
  ['an array', '[1,2,3]'],
  ['deep nesting', `{"a": ${deep(5_000)}}`],
  ['numbers for amounts', '{"budgetCeiling": 1000000, "benefitAmount": 600000.5, "newCeiling": 1e9, "amount": -1}'],
  ['exponent strings', '{"budgetCeiling": "1e9", "benefitAmount": "6E5", "contentHash": 1e64}'],
  [
    'wrong types everywhere',
    '{"code": 42, "name": [], "fiscalYear": "2026", "paymentIds": "all", "nik": 9171015203850003}',
  ],
  [
    'SQL-like strings',
    '{"code": "PKH\'; DROP TABLE events; --", "name": "x\\" OR \\"1\\"=\\"1", "reason": "\'; DELETE FROM events; --"}',
  ],
  [
    'unicode tricks',
    '{"name": "\\u202Egnirts\\u0000\\ud800", "reason": "\\u200b\\u200b\\u200b\\u200b\\u200b", "nik": "１６０６０１４５０９８５０００１"}',
  ],
  ['unknown fields only', '{"isAdmin": true, "__proto__": {"polluted": true}, "constructor": {"prototype": {}}}'],
  ['a 2 MB body', Buffer.from(`{"name": "${'x'.repeat(2 * 1_048_576)}"}`)],
];

function forgedToken(role: Role): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ alg: 'HS256', typ: 'JWT' });
  const payload = encode({ sub: 'mallory', role, iss: 'salur', exp: Math.floor(Date.now() / 1000) + 600 });
  const signature = createHmac('sha256', 'not-the-secret-of-this-service-at-all-000000')
    .update(`${header}.${payload}`)
    .digest('base64url');
  return `${header}.${payload}.${signature}`;
}

function unsignedToken(role: Role): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: 'mallory', role, iss: 'salur', exp: 4_102_444_800 })}.`;
}

describe('HTTP fuzz pass over every endpoint', () => {
  let ledger: LedgerApi;
  let operations: Operation[];

  beforeAll(async () => {
    ledger = await startLedgerApi('sqlite');
    await ledger.as('programme-officer').post('/programmes', {
      code: 'PKH',
      name: 'Program Keluarga Harapan',
      fiscalYear: 2026,
      budgetCeiling: '100000000.00',
      benefitAmount: '600000.00',
      currency: 'IDR',
    });
    operations = (await operationsOf(ledger.api.url)).operations;
  });
  afterAll(() => ledger?.close());

  function expectClearRefusal(exchange: Exchange, what: string): void {
    if (exchange.status < 400 || exchange.status >= 500) {
      throw new Error(`${what} answered ${exchange.status}: ${exchange.body.slice(0, 300)}`);
    }
    if (exchange.body.startsWith('{')) expect(JSON.parse(exchange.body)).toHaveProperty('code');
  }

  it('covers the ledger’s endpoints', () => {
    const paths = operations.map((operation) => `${operation.method} ${operation.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'POST /programmes',
        'POST /batches/{batchId}/approvals',
        'GET /beneficiaries/{beneficiaryId}',
      ]),
    );
    expect(operations.length).toBeGreaterThan(20);
  });

  it('answers every hostile request with a 4xx and writes nothing', async () => {
    const head = await ledger.store.headPosition();
    const expired = new Map(
      ROLES.map((role) => [role, ledger.api.tokens.issue({ userId: 'late', role, ttlSeconds: 1 })]),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    let requests = 0;
    for (const operation of operations) {
      // The probes are public for orchestrators (see health.e2e); the docs are public by design.
      if (PUBLIC_PATHS.has(operation.path) || operation.path.startsWith('/docs')) continue;
      const allowed = operation.roles[0] ?? 'admin';
      const wrongRole = ROLES.find((role) => !operation.roles.includes(role));
      const credentials: Array<[string, Record<string, string>, number]> = [
        ['no token', {}, 401],
        ['a forged token', { authorization: `Bearer ${forgedToken(allowed)}` }, 401],
        ['an unsigned token', { authorization: `Bearer ${unsignedToken(allowed)}` }, 401],
        ['an expired token', { authorization: `Bearer ${expired.get(allowed)}` }, 401],
        ['a malformed header', { authorization: 'Bearer' }, 401],
        ...(wrongRole
          ? [
              [`a ${wrongRole} token`, { authorization: `Bearer ${ledger.api.token(wrongRole)}` }, 403] as [
                string,
                Record<string, string>,
                number,
              ],
            ]
          : []),
      ];
      for (const segment of operation.takesInput ? HOSTILE_SEGMENTS : []) {
        const path = operation.path.replace(/\{[^}]+\}/g, encodeURIComponent(segment));
        const valid = { authorization: `Bearer ${ledger.api.token(allowed)}` };
        for (const [name, body] of operation.method === 'GET'
          ? [['no body', undefined] as [string, undefined]]
          : HOSTILE_BODIES) {
          const exchange = await send(
            `${ledger.api.url}${path}?limit=-1&minPosition=1e99&cursor=%27`,
            operation.method,
            { ...valid, 'content-type': 'application/json' },
            body,
          );
          requests++;
          expectClearRefusal(exchange, `${operation.method} ${path} with ${name}`);
        }
      }
      for (const [name, headers, status] of credentials) {
        const path = operation.path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
        const exchange = await send(
          `${ledger.api.url}${path}`,
          operation.method,
          { ...headers, 'content-type': 'application/json' },
          operation.method === 'GET' ? undefined : '{}',
        );
        requests++;
        expectClearRefusal(exchange, `${operation.method} ${path} with ${name}`);
        if (exchange.status !== status)
          throw new Error(`${operation.method} ${path} with ${name}: ${exchange.status}, expected ${status}`);
      }
    }
    expect(requests).toBeGreaterThan(500);
    expect(await ledger.store.headPosition()).toBe(head);
  });
});
