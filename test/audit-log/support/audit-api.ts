import { deleteQueueKeys } from '../../bank-integration/support/redis-cleanup';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE, EventStore } from '@salur/event-store';
import { AccessTokens } from '@salur/http';
import type { Role } from '@salur/kernel';
import { apiConfigFrom } from '../../../apps/api/src/api.config';
import { ApiModule } from '../../../apps/api/src/api.module';
import { configureApi } from '../../../apps/api/src/bootstrap';
import { http, HttpResponse } from '../../support/http';

export const TEST_JWT_SECRET = 'test-only-secret-of-the-audit-log-suite-0123456789';

export interface AuditApi {
  readonly app: NestExpressApplication;
  readonly url: string;
  readonly store: EventStore;
  readonly directory: string;
  get<T = unknown>(path: string, role: Role, grants?: readonly string[]): Promise<HttpResponse<T>>;
  post<T = unknown>(path: string, role: Role, body?: unknown): Promise<HttpResponse<T>>;
  close(): Promise<void>;
}

/**
 * The real API module (which includes the audit log) on a fresh SQLite file; workers stay out.
 * `env` adds the audit log's settings.
 */
export async function startAuditApi(env: Record<string, string>): Promise<AuditApi> {
  const directory = mkdtempSync(join(tmpdir(), 'salur-audit-api-'));
  const queuePrefix = `salur-test-${randomUUID()}`;
  const fullEnv = {
    SQLITE_PATH: join(directory, 'events.db'),
    QUEUE_PREFIX: queuePrefix,
    EMBEDDED_WORKERS: 'false',
    JWT_SECRET: TEST_JWT_SECRET,
    ...env,
  };
  const config = apiConfigFrom(fullEnv);
  const moduleRef = await Test.createTestingModule({
    imports: [ApiModule.register(config)],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
  configureApi(app);
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const tokens = new AccessTokens(config.http.jwt);
  const bearer = (role: Role, grants: readonly string[] = []) => ({
    authorization: `Bearer ${tokens.issue({ userId: `${role}-1`, role, grants, ttlSeconds: 600 })}`,
  });
  return {
    app,
    url,
    store: app.get<EventStore>(EVENT_STORE),
    directory,
    get: (path, role, grants = []) => http('GET', `${url}${path}`, { headers: bearer(role, grants) }),
    post: (path, role, body) => http('POST', `${url}${path}`, { body, headers: bearer(role) }),
    close: async () => {
      await app.close();
      rmSync(directory, { recursive: true, force: true });
      await deleteQueueKeys(queuePrefix).catch(() => undefined);
    },
  };
}
