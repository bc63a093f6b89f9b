import { deleteQueueKeys } from '../bank-integration/support/redis-cleanup';
import { Controller, INestApplication, Post, UseGuards } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { AccessTokens, Roles } from '@salur/http';
import { QueueAvailableGuard } from '@salur/queue';
import { http } from '../support/http';
import { apiConfigFrom } from '../../apps/api/src/api.config';
import { ApiModule } from '../../apps/api/src/api.module';

/** Stands in for the job-starting endpoints of later capabilities: the guard is what is tested. */
@Controller('test-jobs')
class JobStartingController {
  @Post()
  // Every endpoint declares its roles (the HTTP platform's guard refuses the others); health stays public.
  @Roles('programme-officer')
  @UseGuards(QueueAvailableGuard)
  start(): { queued: true } {
    return { queued: true };
  }
}

const directory = mkdtempSync(join(tmpdir(), 'salur-health-'));
const queuePrefixes: string[] = [];
afterAll(async () => {
  rmSync(directory, { recursive: true, force: true });
  for (const prefix of queuePrefixes) await deleteQueueKeys(prefix).catch(() => undefined);
});

async function startApi(env: Record<string, string>): Promise<{ app: INestApplication; url: string; token: string }> {
  const queuePrefix = `salur-test-${randomUUID()}`;
  queuePrefixes.push(queuePrefix);
  const config = apiConfigFrom({
    SQLITE_PATH: join(directory, `${randomUUID()}.db`),
    QUEUE_PREFIX: queuePrefix,
    ...env,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [ApiModule.register(config)],
    controllers: [JobStartingController],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  const token = new AccessTokens(config.http.jwt).issue({ userId: 'po-1', role: 'programme-officer', ttlSeconds: 600 });
  return { app, url: await app.getUrl(), token };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('GET /health (readiness), /health/live and the queue guard', () => {
  it('reports the embedded event store and Redis up, and lets jobs start', async () => {
    const { app, url, token } = await startApi({});
    try {
      await waitFor(async () => (await http<{ status: string }>('GET', `${url}/health`)).body.status === 'ok', 5_000);

      const health = (await http('GET', `${url}/health`)).body;
      const job = await http('POST', `${url}/test-jobs`, { headers: { authorization: `Bearer ${token}` } });

      expect(health).toEqual({
        status: 'ok',
        dependencies: {
          'event-store': { status: 'up', adapter: 'sqlite', essential: true },
          'read-models': { status: 'up', essential: true },
          'audit-log': { status: 'up', treeSize: expect.any(Number), follower: expect.any(String), essential: false },
          queue: { status: 'up', url: 'redis://127.0.0.1:6379', essential: false },
        },
      });
      expect((await http('GET', `${url}/health/ready`)).body).toMatchObject({ status: 'ok' });
      expect(await http('GET', `${url}/health/live`)).toMatchObject({ status: 200, body: { status: 'up' } });
      expect(job.status).toBe(201);
    } finally {
      await app.close();
    }
  });

  it('starts without Redis: health says the queue is down and job-starting endpoints answer 503 naming REDIS_URL', async () => {
    // Port 1 on loopback refuses connections: Redis is "down" for this app.
    const { app, url, token } = await startApi({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const healthResponse = await http('GET', `${url}/health`);
      const health = healthResponse.body;
      const job = await http<{ code: string; message: string }>('POST', `${url}/test-jobs`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const jobBody = job.body;

      expect(healthResponse.status).toBe(200);
      expect(health).toMatchObject({
        status: 'degraded',
        dependencies: {
          'event-store': { adapter: 'sqlite', status: 'up' },
          queue: { status: 'down', url: 'redis://127.0.0.1:1', reason: expect.stringMatching(/\S/), essential: false },
        },
      });
      expect(job.status).toBe(503);
      expect(jobBody).toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
      expect(jobBody.message).toContain('REDIS_URL');
    } finally {
      await app.close();
    }
  });
});
