import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
/** The demo's own start-up (ts-node over the whole app) takes most of it on a loaded 2-core machine. */
const DEMO_TIMEOUT_MS = 300_000;
/** Settings a developer's shell or CI may carry that would send the demo elsewhere than the temp folder. */
const STORE_SETTINGS = [
  'EVENT_STORE',
  'DATABASE_URL',
  'SQLITE_PATH',
  'READ_MODEL_STORE',
  'READ_MODEL_DATABASE_URL',
  'READ_MODEL_SQLITE_PATH',
  'AUDIT_LOG_SQLITE_PATH',
  'PERSONAL_DATA_SQLITE_PATH',
  'BANK_FILES_DIR',
  'QUEUE_PREFIX',
  'CHECKPOINT_SIGNING_KEY',
  'LOG_LEVEL',
  'PORT',
];

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its exit, its output piped (so never a terminal). */
function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Finished> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, stdout, stderr }));
  });
}

describe('npm run demo', () => {
  let folder: string;
  let demo: Finished;

  beforeAll(async () => {
    folder = join(await mkdtemp(join(tmpdir(), 'salur-demo-test-')), 'demo');
    const env = { ...process.env };
    for (const setting of STORE_SETTINGS) delete env[setting];
    demo = await run(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'tools/demo.ts'].concat([
        '--dir',
        folder,
        '--beneficiaries',
        '50',
      ]),
      env,
    );
  }, DEMO_TIMEOUT_MS);

  afterAll(async () => {
    if (folder) await rm(resolve(folder, '..'), { recursive: true, force: true });
  });

  it('plays the round and exits 0', () => {
    expect({ code: demo.code, stderr: demo.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  });

  it('keeps the event store, read models, audit log and bank files in the folder', async () => {
    expect(await readdir(folder)).toEqual(
      expect.arrayContaining(['salur.db', 'salur-read.db', 'salur-audit.db', 'bank-files', 'proofs']),
    );
    const outbound = await readdir(join(folder, 'bank-files', 'outbound'));
    expect(outbound.filter((file) => file.endsWith('.pain001.xml')).length).toBeGreaterThan(0);
  });

  it('prints progress lines, naming the phase and its counts, without a terminal', () => {
    expect(demo.stdout).toMatch(/^\[\s*\d+\.\d s\] Enrolling \(registry extract\): 50\/50 beneficiaries, done in /m);
    expect(demo.stdout).toMatch(/^\[\s*\d+\.\d s\] Round: bank file 1\/1: 50\/50 payments, done in /m);
  });

  it('ends naming the folder and a verify command that succeeds', async () => {
    expect(demo.stdout).toContain(`Kept in ${folder}`);
    const verify = /^\s+(node \S*salur-verify\.js .+)$/m.exec(demo.stdout)?.[1];
    expect(verify).toContain(folder);
    const verified = await run('sh', ['-c', verify as string], process.env);
    expect(verified).toEqual({ code: 0, stdout: expect.stringMatching(/^OK payment .*full-amount/), stderr: '' });
  });
});
