import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CORRELATION_ID_HEADER } from '../context/correlation';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER } from '../idempotency/idempotent-request';
import { OPENAPI_UI_PATH } from '../openapi/setup-openapi';
import type { HttpSecurityConfig } from './http-security.config';

/** Browsers may cache a preflight's answer this long (Chromium caps it at 2 hours). */
const CORS_PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * The JSON API loads nothing and is never a page: a browser that renders one of its answers
 * anyway may run, fetch, frame and submit nothing.
 */
const API_POLICY = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Swagger UI at /docs: its HTML loads its scripts and stylesheet from this origin (no inline
 * script), "Try it out" calls this origin, and its stylesheet draws icons as data: images. Its
 * page carries an inline <style> block and style attributes, hence 'unsafe-inline' for styles
 * (styles only, and on this page only); scripts stay 'self'.
 */
const DOCS_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Security headers (helmet) on every answer the API gives, errors and /docs included, and CORS
 * for the configured origins only. Call it first in the app's configuration, before the body
 * parser and the OpenAPI routes, so that nothing answers without the headers.
 */
export function useSecurityHeaders(app: NestExpressApplication, config: HttpSecurityConfig): void {
  const common = {
    strictTransportSecurity:
      config.hstsMaxAgeSeconds > 0 ? { maxAge: config.hstsMaxAgeSeconds, includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  } as const;
  const api = helmet({ ...common, contentSecurityPolicy: { useDefaults: false, directives: API_POLICY } });
  const docs = helmet({ ...common, contentSecurityPolicy: { useDefaults: false, directives: DOCS_POLICY } });
  app.use((request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) =>
    (isDocsPage(request.url ?? '') ? docs : api)(request, response, next),
  );
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: [...config.corsOrigins],
      methods: ['GET', 'HEAD', 'POST'],
      allowedHeaders: ['Authorization', 'Content-Type', IDEMPOTENCY_KEY_HEADER, CORRELATION_ID_HEADER, 'X-File-Name'],
      exposedHeaders: [
        CORRELATION_ID_HEADER,
        IDEMPOTENT_REPLAYED_HEADER,
        'Retry-After',
        'WWW-Authenticate',
        'Content-Disposition',
        'X-Content-SHA256',
      ],
      // Bearer tokens travel in a header, never in cookies: no credentialed requests.
      credentials: false,
      maxAge: CORS_PREFLIGHT_MAX_AGE_SECONDS,
    });
  }
}

/** /docs and its assets; /docs-json is the JSON document and gets the API's policy. */
function isDocsPage(url: string): boolean {
  const path = url.split('?')[0];
  return path === `/${OPENAPI_UI_PATH}` || path.startsWith(`/${OPENAPI_UI_PATH}/`);
}
