/**
 * `npm run load [-- --duration 30] [--json out.json] [--seed 1] [--keep]`: the API under mixed
 * traffic (enrolments, racing approvals, bank result uploads, inspector queries) for a bounded
 * time, then the checks: every acknowledged command in the log exactly once, every 409 explained,
 * the invariant checker. Prints a table per endpoint; exits 1 on any failure. See README "Load test".
 */
import { writeFileSync } from 'node:fs';
import { formatReport } from './load/report';
import { DEFAULT_OPTIONS, LoadOptions, runLoadTest } from './load/run';

const USAGE =
  'usage: npm run load -- [--duration <seconds>] [--json <file>] [--seed <n>] [--race-batches <n>] [--keep]';
const MAX_DURATION_SECONDS = 3_600;

function optionsFrom(args: readonly string[]): { options: LoadOptions; jsonPath?: string } {
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`[${((Date.now() - started) / 1_000).toFixed(1)} s] ${line}\n`);
  let options: LoadOptions = { ...DEFAULT_OPTIONS, log };
  let jsonPath: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const value = args[i + 1];
    const integer = (min: number, max: number) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${args[i]} takes a whole number ${min}..${max}`);
      i++;
      return n;
    };
    switch (args[i]) {
      case '--duration':
        options = { ...options, durationSeconds: integer(1, MAX_DURATION_SECONDS) };
        break;
      case '--seed':
        options = { ...options, seed: integer(0, 2 ** 31) };
        break;
      case '--race-batches':
        options = { ...options, raceBatches: integer(1, 100_000) };
        break;
      case '--json':
        if (!value) throw new Error('--json takes a file name');
        jsonPath = value;
        i++;
        break;
      case '--keep':
        options = { ...options, keep: true };
        break;
      default:
        throw new Error(`unknown argument ${args[i]}`);
    }
  }
  return { options, jsonPath };
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = optionsFrom(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const report = await runLoadTest(parsed.options);
  process.stdout.write(`${formatReport(report)}\n`);
  if (parsed.jsonPath) writeFileSync(parsed.jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
