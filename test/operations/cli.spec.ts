import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..');

/** The operator CLI as `npm run cli --` runs it (ts-node, path aliases), in a child process. */
async function cli(args: string[], env: Record<string, string> = {}) {
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

describe('npm run cli -- setup / backup: exit codes through the command table', () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'salur-operations-cli-'));
  });

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('setup writes the file and prints the verifier key alone; a second run exits 1 with one line', async () => {
    const path = join(directory, '.env');

    const first = await cli(['setup', '--out', path]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^CHECKPOINT_VERIFIER_KEY=salur\.example\/ledger\+[0-9a-f]{8}\+\S+\n$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const second = await cli(['setup', '--out', path]);
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toBe(
      `${path} exists and was not overwritten: its secrets may be in use (--force replaces them)\n`,
    );
  });

  it('backup exits 1 when there is no ledger to back up', async () => {
    const run = await cli(['backup', join(directory, 'backup')], { SQLITE_PATH: join(directory, 'none', 'salur.db') });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^No ledger at .*salur\.db: nothing to back up/);
  });
});
