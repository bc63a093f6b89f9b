import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { parseSignerKey } from '@salur/audit-log';
import { CliUsageError } from '@salur/config';
import { apiConfigFrom } from '../../../api/src/api.config';
import { workerConfigFrom } from '../../../worker/src/worker.config';
import { setupCommand } from './setup-command';

const SECRETS = ['JWT_SECRET', 'BENEFICIARY_ID_KEY', 'CHECKPOINT_SIGNING_KEY', 'PERSONAL_DATA_MASTER_KEY'];

function setup(args: string[], env: Record<string, string> = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = setupCommand(args, env, { stdout: (text) => stdout.push(text), stderr: (text) => stderr.push(text) });
  return { code: code ?? 0, stdout, stderr };
}

const readEnv = (path: string) => parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('setup', () => {
  let directory: string;
  let path: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'salur-setup-'));
    path = join(directory, '.env');
  });

  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('writes a 0600 .env whose secrets the API and the worker accept in production', () => {
    const run = setup(['--out', path, '--origin', 'ledger.example.go.id/salur']);

    expect(run.code).toBe(0);
    expect(modeOf(path)).toBe(0o600);
    const env = readEnv(path);
    expect(env).toMatchObject({ NODE_ENV: 'production', EVENT_STORE: 'sqlite' });
    for (const variable of SECRETS) expect(env[variable]).toEqual(expect.any(String));
    const api = apiConfigFrom(env);
    expect(api.http.jwt).toMatchObject({ secret: env.JWT_SECRET, usesDevelopmentSecret: false });
    expect(api.http.jwt.secret.length).toBeGreaterThanOrEqual(32);
    expect(api.ledger.beneficiaryIdKey).toBe(env.BENEFICIARY_ID_KEY);
    expect(api.auditLog).toMatchObject({ ephemeralKey: false, origin: 'ledger.example.go.id/salur' });
    expect(api.auditLog.signingKey.name).toBe('ledger.example.go.id/salur');
    expect(api.personalData.usesDevelopmentKey).toBe(false);
    expect(workerConfigFrom(env).ledger.beneficiaryIdKey).toBe(env.BENEFICIARY_ID_KEY);
  });

  it('prints the verifier key to publish and no secret', () => {
    const run = setup(['--out', path]);

    const vkey = parseSignerKey(readEnv(path).CHECKPOINT_SIGNING_KEY).verifier.vkey;
    expect(run.stdout).toEqual([`CHECKPOINT_VERIFIER_KEY=${vkey}`]);
    const printed = [...run.stdout, ...run.stderr].join('\n');
    const env = readEnv(path);
    for (const variable of SECRETS) expect(printed).not.toContain(env[variable]);
  });

  it('refuses to overwrite an existing file without --force, in one line, leaving it as it was', () => {
    writeFileSync(path, 'JWT_SECRET=in-use\n');

    const run = setup(['--out', path]);

    expect(run.code).toBe(1);
    expect(run.stdout).toEqual([]);
    expect(run.stderr).toEqual([
      `${path} exists and was not overwritten: its secrets may be in use (--force replaces them)`,
    ]);
    expect(readFileSync(path, 'utf8')).toBe('JWT_SECRET=in-use\n');
  });

  it('--force replaces the file with fresh secrets, mode 0600 even when the old one was wider', () => {
    setup(['--out', path]);
    const first = readEnv(path);
    chmodSync(path, 0o644);

    const run = setup(['--out', path, '--force']);

    expect(run.code).toBe(0);
    expect(modeOf(path)).toBe(0o600);
    const second = readEnv(path);
    for (const variable of SECRETS) expect(second[variable]).not.toBe(first[variable]);
  });

  it('gives different secrets on every run', () => {
    const other = join(directory, 'other.env');
    setup(['--out', path]);
    setup(['--out', other]);

    const [first, second] = [readEnv(path), readEnv(other)];
    for (const variable of SECRETS) expect(first[variable]).not.toBe(second[variable]);
  });

  it('refuses an origin that cannot name a key, and unknown options, as usage errors', () => {
    expect(() => setup(['--out', path, '--origin', 'two words'])).toThrow(CliUsageError);
    expect(() => setup(['--out', path, '--colour', 'red'])).toThrow(CliUsageError);
    expect(() => statSync(path)).toThrow();
  });
});
