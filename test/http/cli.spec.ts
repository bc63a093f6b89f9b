import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AccessTokens, jwtConfigFrom } from '@salur/http';

const root = join(__dirname, '..', '..');
const SECRET = 'cli-process-test-secret-long-enough-012345';

/** The operator CLI as `npm run cli --` runs it (ts-node, path aliases), in a child process. */
async function cli(args: string[], env: Record<string, string> = { JWT_SECRET: SECRET }) {
  const run = promisify(execFile)(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/cli/src/main.ts', ...args],
    { cwd: root, env: { ...process.env, ...env, TS_NODE_PROJECT: 'tsconfig.json' } },
  );
  return run.then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

describe('npm run cli', () => {
  it('token issue prints a token, alone on stdout, that the API accepts', async () => {
    const { code, stdout, stderr } = await cli(['token', 'issue', '--user', 'fo-9', '--role', 'finance-officer']);

    expect(code).toBe(0);
    expect(stderr).toBe('');
    const actor = new AccessTokens(jwtConfigFrom({ JWT_SECRET: SECRET })).verify(stdout.trim());
    expect(actor).toEqual({ userId: 'fo-9', role: 'finance-officer', grants: [] });
  });

  it('exits 2 with the usage on wrong arguments, and on an unknown command', async () => {
    const wrongRole = await cli(['token', 'issue', '--user', 'u', '--role', 'root']);
    const unknown = await cli(['projections', 'rebuild-everything']);

    expect(wrongRole.code).toBe(2);
    expect(wrongRole.stderr).toContain("--role 'root' is not one of");
    expect(wrongRole.stderr).toContain('Usage: npm run cli -- token issue');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown command 'projections rebuild-everything'");
  });

  it('exits 1 naming JWT_SECRET when it is too short', async () => {
    const { code, stderr, stdout } = await cli(['token', 'issue', '--user', 'u', '--role', 'admin'], {
      JWT_SECRET: 'short',
    });

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim()).toMatch(/^Configuration error: JWT_SECRET: is 5 characters/);
  });
});
