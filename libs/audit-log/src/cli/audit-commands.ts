import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigurationError, Environment } from '@salur/config';
import { eventStoreConfigFrom, openEventStore } from '@salur/event-store';
import { CliOutput, CliUsageError } from '@salur/config';
import { auditLogConfigFrom, AuditLogConfig, DEFAULT_CHECKPOINT_ORIGIN } from '../audit-log.config';
import { ED25519_COSIGNATURE_V1, ED25519_NOTE_SIGNATURE, generateNoteKey, NoteKeyError } from '../domain';
import { migrateAuditLog, openAuditLogDatabase } from '../log/audit-log.database';
import { exportAuditLog } from '../log/audit-log.export';
import { AuditLogWriter } from '../log/audit-log.writer';
import { CheckpointService } from '../log/checkpoint.service';
import { MerkleLogStore } from '../log/merkle-log.store';

export const AUDIT_KEYGEN_USAGE = 'audit keygen [--name <key name>] [--witness]';
export const AUDIT_EXPORT_USAGE = 'audit export <dir>';
export const AUDIT_CHECKPOINT_USAGE = 'audit checkpoint';

/**
 * `audit keygen`: a new Ed25519 key pair in the C2SP signed-note formats. stdout gets two lines,
 * `CHECKPOINT_SIGNING_KEY=PRIVATE+KEY+…` (secret) and `CHECKPOINT_VERIFIER_KEY=<vkey>` (publish
 * it); `--witness` makes a cosignature/v1 key for an inspector's office instead.
 */
export function auditKeygenCommand(args: readonly string[], env: Environment, output: CliOutput): void {
  const { values } = parse(args, { name: { type: 'string' }, witness: { type: 'boolean' } }, 0);
  const name = (values.name as string | undefined) ?? (env.CHECKPOINT_ORIGIN?.trim() || DEFAULT_CHECKPOINT_ORIGIN);
  const witness = values.witness === true;
  let keys;
  try {
    keys = generateNoteKey(name, witness ? ED25519_COSIGNATURE_V1 : ED25519_NOTE_SIGNATURE);
  } catch (error) {
    if (error instanceof NoteKeyError) throw new CliUsageError(error.message);
    throw error;
  }
  if (witness) {
    output.stdout(`WITNESS_SIGNING_KEY=${keys.signerKey}`);
    output.stdout(`WITNESS_VERIFIER_KEY=${keys.vkey}`);
    output.stderr(
      'Keep WITNESS_SIGNING_KEY secret; give WITNESS_VERIFIER_KEY to the ledger (AUDIT_WITNESS_KEYS) and to inspectors.',
    );
  } else {
    output.stdout(`CHECKPOINT_SIGNING_KEY=${keys.signerKey}`);
    output.stdout(`CHECKPOINT_VERIFIER_KEY=${keys.vkey}`);
    output.stderr(
      'Keep CHECKPOINT_SIGNING_KEY secret; publish CHECKPOINT_VERIFIER_KEY for inspectors (salur-verify --vkey).',
    );
  }
}

/** `audit export <dir>`: every leaf and every signed checkpoint, for `salur-verify log <dir>`. */
export async function auditExportCommand(args: readonly string[], env: Environment, output: CliOutput): Promise<void> {
  const { positionals } = parse(args, {}, 1);
  const directory = resolve(positionals[0]);
  await withLog(auditLogConfigFrom(env), async (log, checkpoints) => {
    const summary = await exportAuditLog(log, checkpoints, directory);
    if (summary.missingLeaves.length > 0) {
      output.stderr(
        `Warning: the log's tables lack ${summary.missingLeaves.length} leaves (first: ${summary.missingLeaves[0]})`,
      );
    }
    output.stdout(`Exported ${summary.leaves} leaves and ${summary.checkpoints} checkpoints to ${directory}`);
  });
}

/** `audit checkpoint`: brings the log up to the event store's head, then signs and prints a checkpoint. */
export async function auditCheckpointCommand(
  args: readonly string[],
  env: Environment,
  output: CliOutput,
): Promise<void> {
  parse(args, {}, 0);
  const config = auditLogConfigFrom(env);
  if (config.ephemeralKey) {
    throw new ConfigurationError(
      'CHECKPOINT_SIGNING_KEY',
      'must be set to sign a checkpoint from the command line (npm run cli -- audit keygen)',
    );
  }
  const store = await openEventStore(eventStoreConfigFrom(env));
  try {
    await withLog(config, async (log, checkpoints) => {
      await new AuditLogWriter(log).catchUp(store);
      output.stdout((await checkpoints.cosigned(await checkpoints.signLatest())).trimEnd());
    });
  } finally {
    await store.close();
  }
}

async function withLog(
  config: AuditLogConfig,
  work: (log: MerkleLogStore, checkpoints: CheckpointService) => Promise<void>,
): Promise<void> {
  const db = openAuditLogDatabase(config.database);
  try {
    await migrateAuditLog(db, config.database.dialect);
    const log = new MerkleLogStore(db);
    await work(
      log,
      new CheckpointService(log, { origin: config.origin, key: config.signingKey, witnesses: config.witnesses }),
    );
  } finally {
    await db.destroy();
  }
}

type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

function parse(args: readonly string[], options: OptionSpec, positionalCount: number) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: positionalCount > 0 });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  if (parsed.positionals.length !== positionalCount) {
    throw new CliUsageError(
      positionalCount === 0 ? 'no arguments expected' : `expected ${positionalCount} argument(s)`,
    );
  }
  return parsed;
}
