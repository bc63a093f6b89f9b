/**
 * `npm run demo`: a whole disbursement round through the real API and its embedded jobs, in this
 * process, kept in ./data/demo (or --dir) on the store the settings name. What it shows, and
 * its options: tools/README.md ("The demo"); the steps: tools/demo/.
 */
import { startFailureOf } from '@salur/config';
import { DemoRefusal } from './demo/demo-folder';
import { DEMO_USAGE, DemoUsageError, parseDemoOptions } from './demo/demo-options';
import { runDemo } from './demo/run-demo';

/** 0 done, 1 failed, 2 wrong usage or a folder or store the demo will not write into. */
export async function demoCommand(argv: readonly string[]): Promise<number> {
  try {
    const options = parseDemoOptions(argv);
    if (options.help) {
      process.stdout.write(`${DEMO_USAGE}\n`);
      return 0;
    }
    await runDemo(options, process.env, process.stdout);
    return 0;
  } catch (error) {
    if (error instanceof DemoUsageError) {
      process.stderr.write(`${error.message}\n${DEMO_USAGE}\n`);
      return 2;
    }
    if (error instanceof DemoRefusal) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    console.error(startFailureOf(error));
    return 1;
  }
}

if (require.main === module) {
  // The embedded workers and the Redis connections keep the event loop alive: exit when done.
  void demoCommand(process.argv.slice(2)).then((code) => process.exit(code));
}
