import { LEDGER_PROJECTIONS, openLedgerEventStore } from '@salur/ledger';
import { rebuildProjectionsCommand } from '@salur/projections';

/**
 * `projections rebuild` as the CLI runs it (same command function, same environment variables),
 * in a process of its own, without the CLI's other commands: the tests run it beside a projecting
 * "service" and kill it mid-way. Progress goes to stdout as JSON lines (`{"position":…}`).
 */
async function main(): Promise<void> {
  process.exitCode = await rebuildProjectionsCommand(
    process.argv.slice(2),
    process.env,
    { stdout: (text) => process.stdout.write(`${text}\n`), stderr: (text) => process.stderr.write(`${text}\n`) },
    LEDGER_PROJECTIONS,
    openLedgerEventStore,
    {
      start: () => undefined,
      update: (progress) => process.stdout.write(`${JSON.stringify({ position: progress.position })}\n`),
      stop: () => undefined,
    },
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
