import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { BEARER_SCHEME } from '../auth/access.decorators';
import { CORRELATION_ID_HEADER } from '../context/correlation';
import { ErrorResponse, FieldErrorResponse } from '../errors/error-response';
import { IDEMPOTENCY_KEY_HEADER } from '../idempotency/idempotent-request';
import { MUTATING_METHODS } from '../idempotency/idempotency.interceptor';

export const OPENAPI_UI_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs-json';

export interface OpenApiOptions {
  readonly title?: string;
  readonly version?: string;
}

/** The OpenAPI document of every controller in the app, from its DTOs and decorators. */
export function createOpenApiDocument(app: INestApplication, options: OpenApiOptions = {}): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(options.title ?? 'Salur API')
    .setDescription(
      'Event-sourced disbursement ledger. Every endpoint except /health needs a bearer token ' +
        '(`npm run cli -- token issue`); each operation lists its roles in `x-roles`. Errors are ' +
        '`ErrorResponse`. Commands accept an `Idempotency-Key`.',
    )
    .setVersion(options.version ?? '0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponse, FieldErrorResponse] });
  addPlatformHeaders(document);
  return document;
}

/**
 * Serves Swagger UI at /docs and the document at /docs-json. The UI's assets come from the
 * local swagger-ui-dist package and the online validator is off: no network at runtime.
 * These routes are served beside the controllers, so the access guard does not apply: public.
 */
export function setupOpenApi(app: INestApplication, options: OpenApiOptions = {}): OpenAPIObject {
  const document = createOpenApiDocument(app, options);
  SwaggerModule.setup(OPENAPI_UI_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: options.title ?? 'Salur API',
    swaggerOptions: { validatorUrl: null, persistAuthorization: false },
  });
  return document;
}

type Operation = { parameters?: unknown[]; security?: unknown[] };

/** The platform's headers, declared once here rather than on every handler. */
function addPlatformHeaders(document: OpenAPIObject): void {
  for (const pathItem of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(pathItem) as Array<[string, Operation]>) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation)) continue;
      const parameters = (operation.parameters ??= []);
      parameters.push({
        name: CORRELATION_ID_HEADER,
        in: 'header',
        required: false,
        description: 'Echoed in the answer; generated when absent. 1-100 of [A-Za-z0-9._:-]',
        schema: { type: 'string', maxLength: 100, pattern: '^[A-Za-z0-9._:-]{1,100}$' },
      });
      if (MUTATING_METHODS.has(method.toUpperCase()) && operation.security?.length) {
        parameters.push({
          name: IDEMPOTENCY_KEY_HEADER,
          in: 'header',
          required: false,
          description:
            'Executes the command at most once per user and key: a repeat gets the first answer ' +
            '(header Idempotent-Replayed: true); the key with another request answers 409.',
          schema: { type: 'string', minLength: 1, maxLength: 200 },
        });
      }
    }
  }
}
