import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ApiConfig } from './api.config';
import { ApiModule } from './api.module';

/** Request bodies above this are refused before parsing (bulk files arrive streamed, not as JSON). */
const MAX_JSON_BODY = '1mb';

export async function createApi(config: ApiConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register(config), {
    bufferLogs: false,
    bodyParser: false,
  });
  app.useBodyParser('json', { limit: MAX_JSON_BODY });
  app.enableShutdownHooks();
  return app;
}
