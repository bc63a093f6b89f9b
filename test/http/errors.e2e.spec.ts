import { EVENT_STORE, EventStore, RecordedEvent } from '@salur/event-store';
import { http } from '../support/http';
import { rawHttp } from './support/raw-http';
import { bearer, RunningApi, startApi } from './support/test-api';
import { ExecutionLog, TestCommandsController } from './support/test-commands.controller';

let api: RunningApi;
let log: ExecutionLog;
beforeAll(async () => {
  api = await startApi({ controllers: [TestCommandsController], providers: [ExecutionLog] });
  log = api.app.get(ExecutionLog);
});
afterAll(() => api.close());

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  field?: string;
  reason?: string;
  errors?: Array<{ field: string; reason: string }>;
}

const validPayment = { amount: '600000.00', period: '2026-11', beneficiaryId: '2ed6657d-e927-568b-95e1-2665a8aea6a2' };
const pay = (body: unknown, headers: Record<string, string> = {}) =>
  http<ErrorBody>('POST', `${api.url}/test-commands/pay`, {
    body,
    headers: bearer(api.token('finance-officer'), headers),
  });

describe('validation (400 VALIDATION_FAILED)', () => {
  it('accepts a valid command', async () => {
    const response = await pay(validPayment);

    expect(response.status).toBe(201);
  });

  it.each([
    [
      'an unknown field',
      { ...validPayment, deductionRupiah: '1000' },
      'deductionRupiah',
      /not a field this endpoint accepts/,
    ],
    [
      'a number instead of an amount string',
      { ...validPayment, amount: 600000 },
      'amount',
      /decimal string.*not a number/,
    ],
    ['an amount with an exponent', { ...validPayment, amount: '6e5' }, 'amount', /'6e5' is not an amount/],
    ['an amount with 3 decimals', { ...validPayment, amount: '1.005' }, 'amount', /'1\.005' is not an amount/],
    ['a zero amount where it must be positive', { ...validPayment, amount: '0' }, 'amount', /greater than zero/],
    [
      'a missing amount',
      { period: '2026-11', beneficiaryId: validPayment.beneficiaryId },
      'amount',
      /amount is required/,
    ],
    ['a number instead of a period string', { ...validPayment, period: 202611 }, 'period', /must be a period/],
    ['a 13th month', { ...validPayment, period: '2026-13' }, 'period', /must be a period/],
    [
      'an upper-case id',
      { ...validPayment, beneficiaryId: validPayment.beneficiaryId.toUpperCase() },
      'beneficiaryId',
      /lower-case UUID/,
    ],
    [
      'an unknown nested field',
      { ...validPayment, account: { bankCode: '002', iban: 'x' } },
      'account.iban',
      /not a field/,
    ],
    ['a wrong nested field', { ...validPayment, account: { bankCode: 2 } }, 'account.bankCode', /must be a string/],
  ])('refuses %s, naming the field and the reason', async (_, body, field, reason) => {
    const response = await pay(body);

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', field });
    expect(response.body.reason).toMatch(reason);
    expect(response.body.errors).toContainEqual({ field, reason: expect.stringMatching(reason) });
  });

  it('lists every refused field', async () => {
    const response = await pay({ amount: 1, period: 'Q4', beneficiaryId: 7, extra: true });

    expect(response.status).toBe(400);
    expect(response.body.errors?.map(({ field }) => field).sort()).toEqual([
      'amount',
      'beneficiaryId',
      'extra',
      'period',
    ]);
  });

  it('refuses a body that is an array rather than an object', async () => {
    const response = await pay([validPayment]);

    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
  });
});

describe('request bodies', () => {
  it('refuses malformed JSON with 400 MALFORMED_JSON', async () => {
    const response = await rawHttp<ErrorBody>('POST', `${api.url}/test-commands/pay`, '{"amount": "1.00",', {
      authorization: `Bearer ${api.token('finance-officer')}`,
    });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, code: 'MALFORMED_JSON' });
  });

  it('refuses a body over 1 MiB with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await pay({ ...validPayment, note: 'x'.repeat(1_100_000) });

    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('refuses JSON nested deeper than 32 levels with 400 JSON_TOO_DEEP', async () => {
    let nested: unknown = '2026-11';
    for (let level = 0; level < 40; level++) nested = { level: nested };

    const response = await pay({ ...validPayment, nested });

    expect(response.status).toBe(400);
    expect(response.body.code).toBe('JSON_TOO_DEEP');
  });
});

describe('errors thrown by handlers', () => {
  it('maps a broken business rule to 422 with its code and field', async () => {
    const response = await http<ErrorBody>('POST', `${api.url}/test-commands/rule`, {
      headers: bearer(api.token('finance-officer')),
    });

    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      statusCode: 422,
      code: 'BUDGET_EXCEEDED',
      message: 'The batch would exceed the programme budget',
      field: 'batchId',
    });
  });

  it('maps a lost race on a stream to 409 CONCURRENCY_CONFLICT', async () => {
    const response = await http<ErrorBody>('POST', `${api.url}/test-commands/race-lost`, {
      headers: bearer(api.token('finance-officer')),
    });

    expect(response.status).toBe(409);
    expect(response.body.code).toBe('CONCURRENCY_CONFLICT');
  });

  it('answers an unexpected error 500 INTERNAL_ERROR without leaking its message or stack', async () => {
    const response = await http<ErrorBody>('POST', `${api.url}/test-commands/crash`, {
      headers: bearer(api.token('finance-officer')),
    });

    expect(response.status).toBe(500);
    expect(response.body).toMatchObject({ statusCode: 500, code: 'INTERNAL_ERROR' });
    expect(response.text).not.toContain('postgres://');
    expect(response.text).not.toContain('.ts:');
  });

  it('keeps the status of Nest exceptions and gives them a code', async () => {
    const response = await http<ErrorBody>('GET', `${api.url}/no-such-route`, {
      headers: bearer(api.token('inspector')),
    });

    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });
});

describe('correlation and causation', () => {
  it('echoes a valid X-Correlation-Id and generates one when absent', async () => {
    const given = await http('GET', `${api.url}/health`, {
      headers: { 'x-correlation-id': 'round-2026-11.batch_7:a-1' },
    });
    const generated = await http('GET', `${api.url}/health`);

    expect(given.headers['x-correlation-id']).toBe('round-2026-11.batch_7:a-1');
    expect((await http('GET', `${api.url}/`)).headers['x-correlation-id']).toEqual(expect.any(String));
    expect(generated.headers['x-correlation-id']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it.each([
    ['a space', 'round 7'],
    ['a slash', 'round/7'],
    ['101 characters', 'c'.repeat(101)],
  ])('refuses an X-Correlation-Id with %s (400), under a fresh correlation id', async (_, header) => {
    const response = await http<ErrorBody>('GET', `${api.url}/test-commands/whoami`, {
      headers: bearer(api.token('inspector'), { 'x-correlation-id': header }),
    });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'INVALID_CORRELATION_ID', field: 'X-Correlation-Id' });
    expect(response.headers['x-correlation-id']).not.toBe(header);
  });

  it("puts the correlation id, the request id as causation, the actor and the time into the events' metadata", async () => {
    const before = log.count('pay');
    const first = await pay(validPayment, { 'x-correlation-id': 'corr-e2e-1' });
    const second = await pay(validPayment, { 'x-correlation-id': 'corr-e2e-1' });
    const events = await eventsOfCorrelation('corr-e2e-1');

    expect([first.status, second.status, log.count('pay') - before]).toEqual([201, 201, 2]);
    expect(events.map((event) => event.metadata)).toEqual([
      {
        actor: { userId: 'user-finance-officer', role: 'finance-officer' },
        correlationId: 'corr-e2e-1',
        causationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        occurredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        schemaVersion: 1,
      },
      expect.objectContaining({ correlationId: 'corr-e2e-1' }),
    ]);
    // One request, one causation: two requests of one correlation are told apart.
    expect(events[0].metadata.causationId).not.toBe(events[1].metadata.causationId);
  });
});

async function eventsOfCorrelation(correlationId: string): Promise<RecordedEvent[]> {
  const store = api.app.get<EventStore>(EVENT_STORE);
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) {
    if (event.type === 'TestPaymentScheduled' && event.metadata.correlationId === correlationId) events.push(event);
  }
  return events;
}
