import { workflowGraceMsFrom } from '@salur/application';
import { auditDatabaseFrom, AuditLogDatabase, MerkleLogStore, openAuditLogDatabase } from '@salur/audit-log';
import { Environment } from '@salur/config';
import { eventStoreConfigFrom, openEventStore } from '@salur/event-store';
import { readModelConfigFrom, type ReadModelConfig } from '@salur/database';
import { openReadModelDatabase } from '@salur/projections';
import { SingleBar } from 'cli-progress';
import { existsSync } from 'node:fs';
import { checkLedger, formatReport } from './check-ledger';
import { openLedgerView } from './opened-ledger';

export const CHECK_USAGE = 'check [--json] [--no-read-models] [--no-audit-log]';

export interface CheckOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * `npm run cli -- check`: the invariant checker over the configured event store and read
 * models and audit log. Exit code 0 when every invariant holds, 1 on any violation. The store is
 * opened as configured, raw: the checker reads the events exactly as stored, as the audit log does;
 * the read models are folded through the sealing layer over it, as the service folds them.
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
  const auditLogDb = args.includes('--no-audit-log') ? undefined : await openAuditLogIfPresent(auditDatabaseFrom(env));
  const { opened, keyStore } = await openLedgerView(store, env);
  const head = (await store.headPosition()) ?? 0;
  const bar = json
    ? undefined
    : new SingleBar({ format: 'checking {bar} {value}/{total} events | {duration}s', stream: process.stderr });
  bar?.start(head, 0);
  try {
    const report = await checkLedger(store, {
      readModels,
      projectionSource: opened,
      auditLog: auditLogDb && new MerkleLogStore(auditLogDb),
      keyStore,
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
    await auditLogDb?.destroy();
    await keyStore?.close();
    await store.close();
  }
}

/** The audit log's database when a log was ever created there; the checker never creates one. */
async function openAuditLogIfPresent(config: ReadModelConfig): Promise<AuditLogDatabase | undefined> {
  if (config.dialect === 'sqlite' && (config.sqlitePath === ':memory:' || !existsSync(config.sqlitePath))) {
    return undefined;
  }
  const db = openAuditLogDatabase(config);
  const tables = await db.introspection.getTables();
  if (tables.some((table) => table.name === 'audit_log_state')) return db;
  await db.destroy();
  return undefined;
}
