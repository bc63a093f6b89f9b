import { randomUUID } from 'node:crypto';
import { bankExceptionIdOf } from '@salur/bank-integration';
import { ROLES, Role } from '@salur/kernel';
import { BankRoundApi, createProgramme, JobView, startBankRoundApi } from '../bank-integration/support/bank-round-api';
import { creditsCsv, unknownPaymentId } from '../bank-integration/support/exception-files';
import { registryCsv } from '../bank-integration/support/synthetic-registry';
import { enrolment } from '../ledger/ledger-api';
import { Exchange, OpenApiDocument, Operation, operationsOf, Schema, send } from './support/openapi-operations';

/**
 * The other half of the fuzz pass (http-fuzz.e2e.spec.ts refuses malformed input at the edge):
 * requests well-formed enough to get past validation and into the handlers, where a plain Error
 * would answer 500. Every operation of the OpenAPI document, once with ids nobody recorded and
 * once with ids of a real round (a programme, beneficiaries, payments, a batch, a job, a bank
 * exception), with every role, every query parameter, huge numbers, wrong types, empty bodies
 * and wrong content types. No answer may be a 5xx other than a documented 503 (a dependency
 * away, or a read model behind a position asked for). The API runs its workers, so jobs run.
 */
const DOCUMENTED_503 = new Set(['QUEUE_UNAVAILABLE', 'READ_MODEL_BEHIND', 'AUDIT_LOG_UNAVAILABLE']);
/**
 * A read waits up to 5 s for a position past the log's head, then answers 503 READ_MODEL_BEHIND
 * (documented, and tried by the read-model tests): the walk leaves it out, or it would take minutes.
 */
const WAITS_FOR_POSITION = new Set(['minPosition']);
const PROGRAMME_ID = 'BANTU-UMAK-2026';
/** Bound of the whole walk on a loaded machine; it takes well under a minute on a quiet one. */
const WALK_TIMEOUT_MS = 600_000;

type Ids = Record<string, string>;

interface Variant {
  readonly name: string;
  readonly query?: Record<string, string>;
  readonly body?: string | Buffer;
  readonly contentType?: string;
}

describe('no request path answers 500', () => {
  let api: BankRoundApi;
  let document: OpenApiDocument;
  let operations: Operation[];
  let known: Ids;
  const unknown: Ids = {
    programmeId: 'NOWHERE-2026',
    period: '2027-03',
    size: '1024',
    jobId: 'open-round.NOWHERE-2026.2026-11.run-1',
  };

  beforeAll(async () => {
    api = await startBankRoundApi({ APPROVAL_TIERS: '*:1' });
    ({ document, operations } = await operationsOf(api.ledger.api.url));
    known = await recordARound(api);
  }, WALK_TIMEOUT_MS);
  afterAll(() => api?.close());

  it(
    'answers every operation, with known and unknown ids, without a 5xx other than a documented 503',
    async () => {
      const failures: string[] = [];
      let requests = 0;
      for (const operation of operations) {
        if (operation.path.startsWith('/docs')) continue;
        for (const [idsName, ids] of [
          ['unknown ids', unknown],
          ['known ids', known],
        ] as const) {
          const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
            encodeURIComponent(valueOf(operation, name, ids)),
          );
          const asked = async (role: Role, variant: Variant) => {
            const exchange = await ask(api, role, operation.method, path, variant);
            requests++;
            if (!acceptable(exchange)) {
              failures.push(
                `${operation.method} ${path} (${idsName}, ${variant.name}) as ${role}: ` +
                  `${exchange.status} ${exchange.body.slice(0, 300)}`,
              );
            }
          };
          const example = exampleRequest(operation, document, ids);
          for (const role of ROLES) await asked(role, example);
          const role = operation.roles[0] ?? 'admin';
          for (const variant of variantsOf(operation, document, ids)) await asked(role, variant);
        }
      }
      expect(failures).toEqual([]);
      expect(requests).toBeGreaterThan(1_500);
    },
    WALK_TIMEOUT_MS,
  );
});

function acceptable(exchange: Exchange): boolean {
  if (exchange.status < 500) return true;
  if (exchange.status !== 503) return false;
  try {
    return DOCUMENTED_503.has((JSON.parse(exchange.body) as { code?: string }).code ?? '');
  } catch {
    return false;
  }
}

function ask(api: BankRoundApi, role: Role, method: string, path: string, variant: Variant): Promise<Exchange> {
  const query = new URLSearchParams(variant.query ?? {}).toString();
  const headers: Record<string, string> = { authorization: `Bearer ${api.ledger.api.token(role, `${role}-walk`)}` };
  if (variant.contentType) headers['content-type'] = variant.contentType;
  return send(`${api.ledger.api.url}${path}${query ? `?${query}` : ''}`, method, headers, variant.body);
}

/**
 * A small real round: the programme, two beneficiaries enrolled, the round opened and batched, a
 * bank result file naming a payment nobody has (one exception). Returns the ids it recorded.
 */
async function recordARound(api: BankRoundApi): Promise<Ids> {
  const expectStatus = async (response: Promise<{ status: number; body: Buffer }>, status: number) => {
    const answer = await response;
    if (answer.status !== status) throw new Error(`Setup answered ${answer.status}: ${answer.body.toString()}`);
    return JSON.parse(answer.body.toString()) as JobView & Record<string, unknown>;
  };
  await expectStatus(createProgramme(api), 201);
  for (const serial of [1, 2]) {
    await expectStatus(
      api.call('enrolment-officer', 'eo-1', 'POST', `/programmes/${PROGRAMME_ID}/beneficiaries`, enrolment(serial)),
      201,
    );
  }
  const round = await expectStatus(
    api.call('programme-officer', 'po-1', 'POST', '/rounds', { programmeId: PROGRAMME_ID, period: '2026-11' }),
    202,
  );
  await api.finish(round);
  await api.finish(
    await expectStatus(api.call('finance-officer', 'fo-1', 'POST', `/rounds/${PROGRAMME_ID}/2026-11/batches`), 202),
  );
  const results = await expectStatus(
    api.call(
      'bank-integration',
      'h2h',
      'POST',
      '/bank-results',
      creditsCsv([{ paymentId: unknownPaymentId(), reference: 'walk-1' }]),
      {
        'content-type': 'text/csv',
      },
    ),
    202,
  );
  await api.finish(results);
  const scheduled = (await api.events('PaymentScheduled'))[0].data;
  const batchId = String((await api.events('BatchCreated'))[0].data.batchId);
  const batch = await api.call('finance-officer', 'fo-1', 'GET', `/batches/${batchId}`);
  return {
    programmeId: PROGRAMME_ID,
    period: '2026-11',
    beneficiaryId: String(scheduled.beneficiaryId),
    paymentId: String(scheduled.paymentId),
    batchId,
    contentHash: batch.json<{ contentHash: string }>().contentHash,
    // The file's one line names a payment nobody has: an exception of the queue.
    exceptionId: bankExceptionIdOf(String(results.sha256), 1),
    jobId: round.id,
    size: '1',
  };
}

/** A parameter's value: the id given for its name, else its example, else one its schema accepts. */
function valueOf(operation: Operation, name: string, ids: Ids): string {
  if (ids[name] !== undefined) return ids[name];
  const schema = operation.parameters.find((parameter) => parameter.name === name)?.schema;
  return String(exampleOf(schema, {}) ?? 'x');
}

function resolved(schema: Schema | undefined, schemas: Record<string, Schema>): Schema | undefined {
  if (schema?.$ref) return schemas[schema.$ref.split('/').pop() ?? ''];
  if (schema?.allOf?.length) return resolved(schema.allOf[0], schemas);
  return schema;
}

/** A value the schema describes: its example, its first choice, or the simplest of its type. */
function exampleOf(input: Schema | undefined, schemas: Record<string, Schema>, depth = 0, ids: Ids = {}): unknown {
  const schema = resolved(input, schemas);
  if (!schema || depth > 8) return undefined;
  if (schema.example !== undefined) return schema.example;
  if (schema.enum?.length) return schema.enum[0];
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([name, property]) => [
          name,
          givenId(name, ids) ?? exampleOf(property, schemas, depth + 1, ids),
        ]),
      );
    case 'array':
      return [exampleOf(schema.items, schemas, depth + 1, ids)];
    case 'number':
    case 'integer':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    default:
      return schema.format === 'uuid' ? randomUUID() : 'x';
  }
}

/** A body property named like an id (`batchId`, `paymentIds`) takes the one given, so the request reaches it. */
function givenId(name: string, ids: Ids): unknown {
  if (ids[name] !== undefined) return ids[name];
  const singular = name.replace(/s$/, '');
  return ids[singular] === undefined ? undefined : [ids[singular]];
}

/** Each property of an object body replaced as `change` says. */
function bodyWith(
  operation: Operation,
  document: OpenApiDocument,
  change: (schema: Schema, example: unknown) => unknown,
): string {
  const schemas = document.components?.schemas ?? {};
  const schema = resolved(operation.bodySchema, schemas);
  const properties = Object.entries(schema?.properties ?? {});
  return JSON.stringify(
    Object.fromEntries(
      properties.map(([name, property]) => {
        const inner = resolved(property, schemas) ?? {};
        return [name, change(inner, exampleOf(inner, schemas))];
      }),
    ),
  );
}

function exampleRequest(operation: Operation, document: OpenApiDocument, ids: Ids): Variant {
  const schemas = document.components?.schemas ?? {};
  if (operation.bodyTypes.includes('application/json')) {
    return {
      name: 'the example',
      body: JSON.stringify(exampleOf(operation.bodySchema, schemas, 0, ids) ?? {}),
      contentType: 'application/json',
    };
  }
  if (operation.bodyTypes.includes('text/csv')) {
    return {
      name: 'the example',
      body: operation.path.includes('beneficiaries') ? registryCsv(2, 50) : creditsCsv([]),
      contentType: 'text/csv',
    };
  }
  return { name: 'the example' };
}

function variantsOf(operation: Operation, document: OpenApiDocument, ids: Ids): Variant[] {
  const query = (value: (name: string, schema: Schema | undefined) => string | undefined) =>
    Object.fromEntries(
      operation.parameters
        .filter((parameter) => parameter.in === 'query')
        .flatMap((parameter) => {
          const chosen = value(parameter.name, parameter.schema);
          return chosen === undefined ? [] : [[parameter.name, chosen]];
        }),
    );
  const numeric = (schema: Schema | undefined) => schema?.type === 'number' || schema?.type === 'integer';
  const variants: Variant[] = [
    { name: 'every query parameter', query: query((name, schema) => ids[name] ?? String(exampleOf(schema, {}))) },
    {
      name: 'huge numbers in the query',
      query: query((name, schema) => (numeric(schema) && !WAITS_FOR_POSITION.has(name) ? '1e308' : undefined)),
    },
    { name: 'wrong types in the query', query: query((_, schema) => (numeric(schema) ? 'many' : '[object Object]')) },
  ].filter((variant) => Object.keys(variant.query).length > 0);
  if (operation.method === 'GET') return variants;
  variants.push(
    { name: 'no body', contentType: 'application/json' },
    { name: 'an empty object', body: '{}', contentType: 'application/json' },
    { name: 'an empty array', body: '[]', contentType: 'application/json' },
    {
      name: 'the example as text/plain',
      body: exampleRequest(operation, document, ids).body ?? 'x',
      contentType: 'text/plain',
    },
    { name: 'XML', body: '<?xml version="1.0"?><Document/>', contentType: 'application/xml' },
    { name: 'an empty CSV', body: '', contentType: 'text/csv' },
    { name: 'a CSV of one 5 KB cell', body: `nik\n${'1'.repeat(5_000)}\n`, contentType: 'text/csv' },
  );
  if (operation.bodySchema) {
    variants.push(
      {
        name: 'huge numbers and strings of digits',
        body: bodyWith(operation, document, (schema, example) =>
          numeric(schema)
            ? 1e308
            : schema.type === 'array'
              ? Array.from({ length: 10_001 }, () => (Array.isArray(example) ? example[0] : 'x'))
              : '9'.repeat(40) + '.99',
        ),
        contentType: 'application/json',
      },
      {
        name: 'wrong types',
        body: bodyWith(operation, document, (schema) =>
          numeric(schema) ? '12' : schema.type === 'array' ? { length: 1 } : schema.type === 'object' ? 'x' : 12_345,
        ),
        contentType: 'application/json',
      },
      {
        name: 'nulls',
        body: bodyWith(operation, document, () => null),
        contentType: 'application/json',
      },
    );
  }
  return variants;
}
