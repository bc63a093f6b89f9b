import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..');
const eslintBin = join(root, 'node_modules', '.bin', 'eslint');

interface LintMessage {
  readonly ruleId: string | null;
  readonly line: number;
  readonly message: string;
}

/** Runs the project's real ESLint, as CI does, and returns the messages for one file. */
async function lint(args: string[]): Promise<LintMessage[]> {
  const run = promisify(execFile)(eslintBin, ['--format', 'json', '--no-ignore', ...args], { cwd: root }).catch(
    // ESLint exits 1 when it finds problems; the JSON report is still on stdout.
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  const { stdout } = await run;
  const [report] = JSON.parse(stdout) as Array<{ messages: LintMessage[] }>;
  return report.messages;
}

/** Proves the layer rule in eslint.config.mjs fires, so a green lint really means a pure domain. */
describe('layer rule: domain code imports no infrastructure', () => {
  it('reports each infrastructure import in a domain folder', async () => {
    const messages = await lint(['test/layer-rule/fixtures/libs/payments/src/domain/leaky-decider.ts']);

    const violations = messages.filter((message) => message.ruleId === '@typescript-eslint/no-restricted-imports');
    expect(violations.map((message) => message.line)).toEqual([2, 3, 4]);
    expect(violations[0].message).toContain('Domain code stays pure');
    expect(violations[2].message).toContain('only through its /domain surface');
  });

  it('lets the same imports stand outside a domain folder', async () => {
    const messages = await lint(['test/layer-rule/fixtures/libs/payments/src/payments.module.ts']);
    expect(messages).toEqual([]);
  });
});
