import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger as JsonLogger } from 'nestjs-pino';
import IORedis from 'ioredis';
import type { ApiConfig } from '../../apps/api/src/api.config';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureApi } from '../../apps/api/src/bootstrap';

/** Keys removed per Redis round trip when the demo's queue keys are cleared. */
const REDIS_SCAN_COUNT = 1_000;

/**
 * The API as `createApi` (apps/api/src/bootstrap.ts) builds it, in this process, but without
 * Nest's shutdown hooks: on Ctrl-C the demo closes the app itself and then clears its queue keys,
 * which a hook re-raising the signal would cut short. Listens on PORT when it is set, else on a
 * free port.
 */
export async function startDemoApi(config: ApiConfig, portWasSet: boolean): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(JsonLogger));
  configureApi(app);
  await app.listen(portWasSet ? config.port : 0, '127.0.0.1');
  return app;
}

/** Removes the keys of a queue prefix the demo made up (its jobs are recorded in the ledger anyway). */
export async function deleteQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new IORedis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', REDIS_SCAN_COUNT);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
