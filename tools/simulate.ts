/**
 * `npm run simulate -- --seed N --steps K [--crash-share 0.2] [--trace]`: the whole-system
 * deterministic simulation (tools/README.md, and the files in tools/simulate/). Exit 0 when every step's check was clean,
 * 1 at the first violation or unexpected error (with the seed and step that replay it), 2 on usage.
 */
import { parseSimulateArgs, SIMULATE_USAGE, SimulateUsageError } from './simulate/arguments';
import { progressReporter } from './simulate/progress';
import { runSimulation } from './simulate/simulation';

async function main(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parseSimulateArgs(argv);
  } catch (error) {
    if (!(error instanceof SimulateUsageError)) throw error;
    process.stderr.write(`${(error as Error).message}\nUsage: ${SIMULATE_USAGE}\n`);
    return 2;
  }
  const progress = progressReporter(args.steps, args.trace);
  const startedMs = performance.now();
  const result = await runSimulation({ ...args, onStep: progress.step });
  progress.stop();
  const seconds = ((performance.now() - startedMs) / 1_000).toFixed(1);
  const summary =
    `seed ${result.seed}: ${result.steps} steps, ${result.events} events, ${result.crashes} crashes in ${seconds} s\n` +
    `  bank: ${JSON.stringify(result.bank)}\n` +
    `  refusals: ${JSON.stringify(result.refusals)}\n` +
    `  log fingerprint ${result.fingerprint}\n`;
  process.stdout.write(summary);
  if (!result.failure) {
    process.stdout.write('All invariants held after every step.\n');
    return 0;
  }
  const { step, kind, message } = result.failure;
  process.stdout.write(
    `\nFAILED at step ${step} (${kind}); replay with: npm run simulate -- --seed ${result.seed} --steps ${step} --trace\n` +
      `${message}\n`,
  );
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
