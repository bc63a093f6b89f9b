import {
  AuditLogConfig,
  CheckpointService,
  LogIntegrityError,
  MerkleLogStore,
  openAuditLogDatabase,
  parseCheckpointText,
  parseSignedNote,
  StoredCheckpoint,
  verifyNoteSignature,
} from '@salur/audit-log';
import { SqliteEventStore } from '@salur/event-store';
import type { LedgerSnapshot, SignedCheckpointRecord } from './backup-manifest';
import type { StoreRole } from './ledger-stores';

export interface InspectedLedger {
  readonly snapshot: LedgerSnapshot;
  /** Each a reason the files are not a ledger to trust; none: they are. */
  readonly problems: readonly string[];
  /** Worth an operator's eye, not a reason to refuse. */
  readonly warnings: readonly string[];
}

/**
 * Opens SQLite copies with the service's own readers and checks what a restore must be able to
 * trust: the audit log's tree, folded from its stored nodes (what every proof is served from),
 * gives the root of its latest signed checkpoint; that checkpoint's signed text says the same
 * size and root as its row, and its signature verifies when the configured key made it; and the
 * log is not ahead of the events it logs. Returns what it read, for the manifest.
 */
export async function inspectLedger(
  paths: Partial<Record<StoreRole, string>>,
  audit: AuditLogConfig,
): Promise<InspectedLedger> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const eventHeadPosition = paths['event-store'] === undefined ? undefined : await headOf(paths['event-store']);
  let auditLog: LedgerSnapshot['auditLog'] = null;
  if (paths['audit-log'] !== undefined) {
    auditLog = await inspectAuditLog(paths['audit-log'], audit, problems, warnings);
    if (eventHeadPosition !== undefined && auditLog.position > (eventHeadPosition ?? -1)) {
      problems.push(
        `the audit log has logged up to position ${auditLog.position}, past the events' head (${eventHeadPosition ?? 'empty'}): ` +
          'it logs events this event store does not hold',
      );
    }
  }
  return { snapshot: { eventHeadPosition: eventHeadPosition ?? null, auditLog }, problems, warnings };
}

async function headOf(path: string): Promise<number | null | undefined> {
  const store = new SqliteEventStore({ path });
  try {
    return (await store.headPosition()) ?? null;
  } finally {
    await store.close();
  }
}

async function inspectAuditLog(
  path: string,
  audit: AuditLogConfig,
  problems: string[],
  warnings: string[],
): Promise<NonNullable<LedgerSnapshot['auditLog']>> {
  const db = openAuditLogDatabase({ ...audit.database, dialect: 'sqlite', sqlitePath: path });
  try {
    const log = new MerkleLogStore(db);
    const state = await log.state();
    const signing = { origin: audit.origin, key: audit.signingKey, witnesses: audit.witnesses };
    const latest = await new CheckpointService(log, signing).latest();
    if (latest === undefined) {
      warnings.push(
        `the audit log (${state.treeSize} leaves) has no signed checkpoint yet: its root cannot be checked`,
      );
    } else {
      problems.push(...(await rootProblems(log, state.treeSize, latest)));
      problems.push(...noteProblems(latest, audit, warnings));
    }
    return { treeSize: state.treeSize, position: state.position, latestCheckpoint: latest ? recordOf(latest) : null };
  } finally {
    await db.destroy();
  }
}

async function rootProblems(log: MerkleLogStore, treeSize: number, latest: StoredCheckpoint): Promise<string[]> {
  if (latest.treeSize > treeSize) {
    return [
      `the audit log holds ${treeSize} leaves but a checkpoint of size ${latest.treeSize} was signed: it was truncated`,
    ];
  }
  let root: Buffer;
  try {
    root = await log.root(latest.treeSize);
  } catch (error) {
    if (error instanceof LogIntegrityError) return [error.message];
    throw error;
  }
  if (root.equals(latest.rootHash)) return [];
  return [
    `the audit log's root at size ${latest.treeSize} is ${root.toString('base64')}, ` +
      `not ${latest.rootHash.toString('base64')} as its last signed checkpoint says: the log was altered`,
  ];
}

function noteProblems(latest: StoredCheckpoint, audit: AuditLogConfig, warnings: string[]): string[] {
  let text: string;
  let signatures;
  try {
    ({ text, signatures } = parseSignedNote(latest.note));
    const signed = parseCheckpointText(text);
    if (signed.size !== latest.treeSize || !signed.rootHash.equals(latest.rootHash)) {
      return [
        `the checkpoint of size ${latest.treeSize} signs size ${signed.size} and another root than its row holds`,
      ];
    }
  } catch (error) {
    return [`the checkpoint of size ${latest.treeSize} is not a signed checkpoint: ${(error as Error).message}`];
  }
  if (audit.ephemeralKey) {
    warnings.push(
      'CHECKPOINT_SIGNING_KEY is not set: the checkpoint signature was not checked (salur-verify --vkey can)',
    );
    return [];
  }
  const key = audit.signingKey.verifier;
  const byKey = signatures.find((signature) => signature.name === key.name && signature.keyId.equals(key.keyId));
  if (byKey === undefined) {
    // A key rotated since is no reason to refuse; the operator checks with the old vkey.
    warnings.push(
      `the checkpoint of size ${latest.treeSize} is not signed by the configured key ${key.vkey}: check it with salur-verify --vkey <the key that signed it>`,
    );
    return [];
  }
  return verifyNoteSignature(text, byKey, key)
    ? []
    : [`the checkpoint of size ${latest.treeSize} carries a signature by the configured key that does not verify`];
}

function recordOf(checkpoint: StoredCheckpoint): SignedCheckpointRecord {
  return { treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash.toString('base64'), note: checkpoint.note };
}
