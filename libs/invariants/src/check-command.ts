import { workflowGraceMsFrom } from '@salur/application';
import { Environment } from '@salur/config';
import { eventStoreConfigFrom, openEventStore } from '@salur/event-store';
import { readModelConfigFrom } from '@salur/database';
import { openReadModelDatabase } from '@salur/projections';
import { SingleBar } from 'cli-progress';
import { existsSync } from 'node:fs';
import { checkLedger, formatReport } from './check-ledger';

export const CHECK_USAGE = 'check [--json] [--no-read-models]';

export interface CheckOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * `npm run cli -- check`: the invariant checker over the configured event store and read
 * models. Exit code 0 when every invariant holds, 1 on any violation.
 */
export async function checkCommand(args: readonly string[], env: Environment, output: CheckOutput): Promise<number> {
  const json = args.includes('--json');
  const eventStoreConfig = eventStoreConfigFrom(env);
  const readModelConfig = readModelConfigFrom(env, eventStoreConfig);
  const store = await openEventStore(eventStoreConfig);
  const withReadModels =
    !args.includes('--no-read-models') &&
    (readModelConfig.dialect === 'postgres' || existsSync(readModelConfig.sqlitePath));
  const readModels = withReadModels ? openReadModelDatabase(readModelConfig) : undefined;
  const head = (await store.headPosition()) ?? 0;
  const bar = json
    ? undefined
    : new SingleBar({ format: 'checking {bar} {value}/{total} events | {duration}s', stream: process.stderr });
  bar?.start(head, 0);
  try {
    const report = await checkLedger(store, {
      readModels,
      onProgress: (read) => bar?.update(Math.min(read, head)),
      // A step younger than the service's grace may still be finishing in a running service.
      workflowDeadline: { now: new Date().toISOString(), graceMs: workflowGraceMsFrom(env) },
    });
    bar?.update(head);
    bar?.stop();
    output.stdout(json ? JSON.stringify(report, null, 2) : formatReport(report));
    return report.ok ? 0 : 1;
  } finally {
    bar?.stop();
    await readModels?.destroy();
    await store.close();
  }
}
