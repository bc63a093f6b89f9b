import { NestFactory } from '@nestjs/core';
import { Logger as JsonLogger } from 'nestjs-pino';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  HTTP_PLATFORM_CONFIG,
  HttpPlatformConfig,
  setupOpenApi,
  useJsonBodyParser,
  useSecurityHeaders,
} from '@salur/http';
import { ApiConfig } from './api.config';
import { ApiModule } from './api.module';

/** Request bodies above this are refused before parsing (bulk files arrive streamed, not as JSON). */
const MAX_JSON_BODY_BYTES = 1_048_576;

export async function createApi(config: ApiConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register(config), {
    // Held until the JSON logger is in place, so even start-up messages are JSON lines.
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(JsonLogger));
  configureApi(app);
  app.enableShutdownHooks();
  return app;
}

/**
 * What an API application needs besides its modules: security headers and CORS (first, so every
 * answer carries them), the bounded JSON body parser (with our error codes) and the OpenAPI
 * document at /docs; no framework banner header. The app must be created with `bodyParser: false`;
 * the e2e tests call this on their testing app too, so they run production's configuration, read
 * from the app's own HTTP platform settings.
 */
export function configureApi(app: NestExpressApplication): void {
  app.disable('x-powered-by');
  useSecurityHeaders(app, app.get<HttpPlatformConfig>(HTTP_PLATFORM_CONFIG).security);
  useJsonBodyParser(app, { limitBytes: MAX_JSON_BODY_BYTES });
  setupOpenApi(app);
}
