import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DemoContext } from './demo-context';

const AUDIT_POLL_MS = 200;
/** The log follows at tens of thousands of events a second; minutes mean it is stuck. */
const AUDIT_CATCH_UP_TIMEOUT_MS = 10 * 60_000;

export interface SavedProof {
  readonly paymentId: string;
  readonly proofPath: string;
  readonly checkpointPath: string;
  /** The log's public key, beside the checkpoint it verifies. */
  readonly verifierKeyPath: string;
  /** The pain.001 that carried the payment, for the verifier's --bank-file check. */
  readonly bankFilePath: string | undefined;
}

/**
 * What an inspector would take away: a checkpoint signed over the whole round and the proof of
 * one payment, saved as the API served them (the verifier checks the exact bytes).
 */
export async function saveProof(
  context: DemoContext,
  paymentId: string,
  events: number,
  proofsDir: string,
): Promise<SavedProof> {
  await auditLogCaughtUp(context, events);
  await mkdir(proofsDir, { recursive: true });
  const checkpoint = await context.client.ok<string>('admin', 'demo', 'POST', '/audit/checkpoints');
  const checkpointPath = join(proofsDir, 'checkpoint.txt');
  await writeFile(checkpointPath, checkpoint);
  const verifierKeyPath = join(proofsDir, 'verifier.vkey');
  await writeFile(verifierKeyPath, `${context.config.auditLog.signingKey.verifier.vkey}\n`);
  const answer = await context.client.call('inspector', 'inspector-demo', 'GET', `/audit/payments/${paymentId}/proof`);
  if (answer.status !== 200) throw new Error(`The proof of payment ${paymentId}: ${answer.status} ${answer.text}`);
  const proofPath = join(proofsDir, `payment-${paymentId}.json`);
  await writeFile(proofPath, answer.text);
  const batchId = answer.json<ProofBatch>().payments?.[0]?.summary?.batchId;
  return {
    paymentId,
    proofPath,
    checkpointPath,
    verifierKeyPath,
    bankFilePath: batchId && context.bankFiles.get(batchId),
  };
}

interface ProofBatch {
  readonly payments?: ReadonlyArray<{ readonly summary?: { readonly batchId?: string } | null }>;
}

/** The Merkle log follows the events on its own; the checkpoint must cover all of them. */
async function auditLogCaughtUp({ client, progress, store }: DemoContext, events: number): Promise<void> {
  const head = (await store.headPosition()) ?? -1;
  const phase = progress.phase('Audit log: logging every event', events, 'events');
  const deadline = Date.now() + AUDIT_CATCH_UP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const log = await client.ok<{ treeSize: number; position: number }>('admin', 'demo', 'GET', '/audit/log');
    phase.update(log.treeSize);
    if (log.position >= head) {
      phase.finish();
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, AUDIT_POLL_MS));
  }
  throw new Error(
    `The audit log did not reach the store's head (${head}) within ${AUDIT_CATCH_UP_TIMEOUT_MS / 60_000} min`,
  );
}
