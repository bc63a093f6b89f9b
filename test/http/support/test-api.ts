import { deleteQueueKeys } from '../../bank-integration/support/redis-cleanup';
import { INestApplication, LoggerService, Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { Logger as JsonLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessTokens } from '@salur/http';
import type { Role } from '@salur/kernel';
import { apiConfigFrom } from '../../../apps/api/src/api.config';
import { ApiModule } from '../../../apps/api/src/api.module';
import { configureApi } from '../../../apps/api/src/bootstrap';

export const TEST_JWT_SECRET = 'test-only-secret-of-the-http-platform-suite-0123456789';

export interface RunningApi {
  readonly app: INestApplication;
  /** Where its SQLite files (events, read models, audit log, keys) are. */
  readonly directory: string;
  readonly url: string;
  readonly tokens: AccessTokens;
  token(role: Role, userId?: string, grants?: readonly string[]): string;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly env?: Record<string, string>;
  readonly controllers?: readonly Type[];
  readonly providers?: readonly Type[];
  /** Receives everything the app logs (default: nothing is logged). */
  readonly logger?: LoggerService;
  /** Receives the JSON log lines, the app's messages included, as production writes them (set LOG_LEVEL too). */
  readonly logDestination?: DestinationStream;
}

/**
 * The real API module (event store, queue, HTTP platform) plus test-only controllers, configured
 * as bootstrap.ts configures production (body parser, OpenAPI), on a fresh SQLite file unless
 * the environment says otherwise. Workers stay out: these tests are about HTTP.
 */
export async function startApi(options: StartOptions = {}): Promise<RunningApi> {
  const directory = mkdtempSync(join(tmpdir(), 'salur-http-'));
  const queuePrefix = `salur-test-${randomUUID()}`;
  const config = apiConfigFrom({
    SQLITE_PATH: join(directory, 'events.db'),
    QUEUE_PREFIX: queuePrefix,
    EMBEDDED_WORKERS: 'false',
    JWT_SECRET: TEST_JWT_SECRET,
    // The scheduled pass runs when a test says so (BankOutcomePass.run with the instant it chooses).
    BANK_OUTCOME_PASS_INTERVAL: '0',
    // The JSON request log stays quiet unless a test reads it (logDestination).
    LOG_LEVEL: options.logDestination ? 'info' : 'silent',
    ...options.env,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [ApiModule.register(config, { logDestination: options.logDestination })],
    controllers: [...(options.controllers ?? [])],
    providers: [...(options.providers ?? [])],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bodyParser: false,
    logger: options.logger ?? false,
  });
  if (options.logDestination) app.useLogger(app.get(JsonLogger));
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
    app,
    directory,
    url: await app.getUrl(),
    tokens,
    token: (role, userId = `user-${role}`, grants = []) => tokens.issue({ userId, role, grants, ttlSeconds: 600 }),
    close: async () => {
      await app.close();
      rmSync(directory, { recursive: true, force: true });
      // The queues' meta keys outlive the app; a test leaves nothing behind in the shared Redis.
      await deleteQueueKeys(queuePrefix).catch(() => undefined);
    },
  };
}

export function bearer(token: string, headers: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${token}`, ...headers };
}
