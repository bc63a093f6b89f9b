import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  auditCheckpointCommand,
  auditKeygenCommand,
  openCheckpoint,
  parseSignerKey,
  parseVerifierKey,
} from '@salur/audit-log';
import { ConfigurationError } from '@salur/config';
import { SqliteEventStore } from '@salur/event-store';
import { appendNoise, beneficiary, recordRound } from './support/ledger-history';
import { runVerifier } from './support/log-fixture';
import { CliUsageError } from '@salur/config';

const root = join(__dirname, '..', '..');
const ORIGIN = 'ledger.example.go.id/salur';

/** The operator CLI as `npm run cli --` runs it (ts-node, path aliases), in a child process. */
async function cli(args: string[], env: Record<string, string>) {
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

/** Runs a command function in this process, collecting what it prints. */
async function inProcess(command: (output: { stdout(text: string): void; stderr(text: string): void }) => unknown) {
  const out: string[] = [];
  const err: string[] = [];
  await command({ stdout: (text) => out.push(text), stderr: (text) => err.push(text) });
  return { stdout: out.join('\n'), stderr: err.join('\n') };
}

const line = (stdout: string, name: string) => {
  const found = stdout.split('\n').find((text) => text.startsWith(`${name}=`));
  if (!found) throw new Error(`no ${name} in ${stdout}`);
  return found.slice(name.length + 1);
};

describe('npm run cli -- audit …', () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'salur-audit-cli-'));
  });

  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('keygen, checkpoint, export: C2SP keys, a checkpoint of the whole ledger, an export salur-verify accepts', async () => {
    const keygen = await cli(['audit', 'keygen', '--name', ORIGIN], {});
    expect(keygen.code).toBe(0);
    const signerKey = line(keygen.stdout, 'CHECKPOINT_SIGNING_KEY');
    const vkey = line(keygen.stdout, 'CHECKPOINT_VERIFIER_KEY');
    expect(signerKey).toMatch(/^PRIVATE\+KEY\+ledger\.example\.go\.id\/salur\+[0-9a-f]{8}\+/);
    expect(parseSignerKey(signerKey).verifier.vkey).toBe(vkey);
    expect(keygen.stderr).toMatch(/Keep CHECKPOINT_SIGNING_KEY secret/);

    const store = new SqliteEventStore({ path: join(directory, 'events.db') });
    await appendNoise(store, 3);
    await recordRound(store, [
      { beneficiaryId: beneficiary(7), amount: '600000.00', outcome: { credited: '600000.00' } },
    ]);
    let events = 0;
    for await (const _ of store.readAll()) events++;
    await store.close();

    const env = { SQLITE_PATH: join(directory, 'events.db'), CHECKPOINT_ORIGIN: ORIGIN };
    await expect(inProcess((output) => auditCheckpointCommand([], env, output))).rejects.toThrow(ConfigurationError);
    const signed = await inProcess((output) =>
      auditCheckpointCommand([], { ...env, CHECKPOINT_SIGNING_KEY: signerKey }, output),
    );
    const { checkpoint } = openCheckpoint(`${signed.stdout}\n`, parseVerifierKey(vkey), ORIGIN);
    expect(checkpoint.size).toBe(events);

    const exported = await cli(['audit', 'export', join(directory, 'export')], env);
    expect(exported.code).toBe(0);
    expect(exported.stdout.trim()).toBe(`Exported ${events} leaves and 1 checkpoints to ${join(directory, 'export')}`);
    expect(readdirSync(join(directory, 'export')).sort()).toEqual([
      'batch-lines.jsonl',
      'checkpoint.txt',
      'checkpoints',
      'leaves.jsonl',
    ]);
    const audit = await runVerifier(['log', join(directory, 'export'), '--vkey', vkey, '--payments']);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toMatch(new RegExp(`^OK log ${ORIGIN}: ${events} leaves; .*; payments: 1 full-amount$`));
  });

  it('keygen --witness makes a cosignature/v1 key; a bad name is a usage error', async () => {
    const witness = await inProcess((output) =>
      auditKeygenCommand(['--witness', '--name', 'inspectorate.example/w1'], {}, output),
    );
    expect(parseVerifierKey(line(witness.stdout, 'WITNESS_VERIFIER_KEY')).type).toBe(0x04);
    expect(parseSignerKey(line(witness.stdout, 'WITNESS_SIGNING_KEY')).type).toBe(0x04);
    await expect(inProcess((output) => auditKeygenCommand(['--name', 'two words'], {}, output))).rejects.toThrow(
      new CliUsageError("key name 'two words' must be non-empty, without spaces or '+'"),
    );
    await expect(inProcess((output) => auditKeygenCommand(['--colour', 'red'], {}, output))).rejects.toThrow(
      CliUsageError,
    );
  });
});
