import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigurationError } from '@salur/config';
import { apiConfigFrom } from '../../apps/api/src/api.config';

describe('configuration', () => {
  it('defaults to the embedded SQLite store, port 3000 and workers in process', () => {
    const config = apiConfigFrom({});
    expect(config).toMatchObject({
      port: 3000,
      embeddedWorkers: true,
      eventStore: { adapter: 'sqlite', sqlitePath: './data/salur.db' },
      queue: { redisUrl: 'redis://127.0.0.1:6379', prefix: 'salur' },
    });
  });

  it.each([
    ['EVENT_STORE', 'mongodb', /EVENT_STORE: 'mongodb' is not one of sqlite, postgres, eventstoredb/],
    ['PORT', '70000', /PORT: 70000 is outside 0..65535/],
    ['PORT', '3000.5', /PORT: '3000.5' is not a whole number/],
    ['DATABASE_URL', 'mysql://db', /DATABASE_URL: 'mysql:' is not one of postgres:, postgresql:/],
    ['REDIS_URL', 'not a url', /REDIS_URL: 'not a url' is not a URL/],
    ['EVENT_STORE_MAX_APPEND_BYTES', '10', /EVENT_STORE_MAX_APPEND_BYTES: 10 is outside/],
  ])('refuses %s=%s with a message naming the variable', (variable, value, message) => {
    expect(() => apiConfigFrom({ [variable]: value })).toThrow(ConfigurationError);
    expect(() => apiConfigFrom({ [variable]: value })).toThrow(message);
  });

  it('stops the service at start-up with one clear line when a setting is wrong', async () => {
    const root = join(__dirname, '..', '..');
    const run = promisify(execFile)(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'],
      { cwd: root, env: { ...process.env, EVENT_STORE: 'mongodb', TS_NODE_PROJECT: 'tsconfig.json' } },
    );
    const failure = await run.then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr.trim()).toBe(
      "Configuration error: EVENT_STORE: 'mongodb' is not one of sqlite, postgres, eventstoredb",
    );
  });
});
