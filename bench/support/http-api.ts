import { Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessTokens, Roles } from '@salur/http';
import type { Role } from '@salur/kernel';
import { apiConfigFrom } from '../../apps/api/src/api.config';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureApi } from '../../apps/api/src/bootstrap';

const BENCH_JWT_SECRET = 'bench-only-jwt-secret-of-the-http-benchmark-0123456789';

/**
 * The trivial endpoint of the baseline. It is mounted next to the real controllers, so a request
 * to it passes the same middleware (request context), JSON body parser, global guard (the bearer
 * JWT is verified and the role checked), idempotency interceptor and validation pipe; it just
 * does no work. Same method, same body, same token as the command: the ratio is the command's
 * own cost (validation, load, decide, append, commit).
 */
@Controller('bench')
class BenchPingController {
  @Post('ping')
  @HttpCode(201)
  @Roles('enrolment-officer')
  ping(): { ok: true } {
    return { ok: true };
  }
}

export interface BenchApi {
  readonly url: string;
  token(role: Role): string;
  close(): Promise<void>;
}

/**
 * The real API (apps/api's module and configuration, on a fresh embedded SQLite file, read models
 * and the Merkle log following the events as in production) in this process, on a free port.
 * Workers stay out: the benchmark measures HTTP commands, not jobs.
 */
export async function startBenchApi(): Promise<BenchApi> {
  const directory = mkdtempSync(join(tmpdir(), 'salur-bench-http-'));
  const config = apiConfigFrom({
    SQLITE_PATH: join(directory, 'events.db'),
    QUEUE_PREFIX: `salur-bench-${randomUUID()}`,
    EMBEDDED_WORKERS: 'false',
    JWT_SECRET: BENCH_JWT_SECRET,
    BENEFICIARY_ID_KEY: 'bench-only-beneficiary-id-key-0123456789',
  });
  @Module({ imports: [ApiModule.register(config)], controllers: [BenchPingController] })
  class HttpBenchModule {}

  const app = await NestFactory.create<NestExpressApplication>(HttpBenchModule, { bodyParser: false, logger: false });
  configureApi(app);
  try {
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close().catch(() => undefined);
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  const tokens = new AccessTokens(config.http.jwt);
  return {
    url: (await app.getUrl()).replace('[::1]', '127.0.0.1'),
    token: (role) => tokens.issue({ userId: `bench-${role}`, role, ttlSeconds: 3_600 }),
    close: async () => {
      await app.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
