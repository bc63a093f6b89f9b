import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WrittenBankFile } from '@salur/bank-integration';
import { runBankSim } from '../../libs/bank-integration/src/simulator/bank-sim-cli';
import { DEFAULT_SIMULATION } from '../../libs/bank-integration/src/simulator/bank-simulator';
import type { JobView } from '../load/api-client';
import { AppendedEvents, countedRequest } from './appended-events';
import type { DemoContext } from './demo-context';
import { followJob } from './follow-job';
import { PERIOD, PROGRAMME_ID } from './people';

interface BuiltBatch {
  readonly batchId: string;
  readonly count: number;
  readonly controlSum: string;
  readonly requiredApprovals: number;
}

/** What the simulated bank does with the transfers of one pass. */
export interface BankBehaviour {
  readonly rejectShare: number;
  readonly returnShare: number;
}

export async function openRound(context: DemoContext): Promise<void> {
  const { client } = context;
  const queued = await client.ok<JobView>('programme-officer', 'po-dewi', 'POST', '/rounds', {
    programmeId: PROGRAMME_ID,
    period: PERIOD,
  });
  await followJob(client, context.progress, { title: `Opening round ${PERIOD}`, unit: 'beneficiaries' }, queued);
}

/**
 * One pass over the round's `outstanding` payments: batches made by one finance officer and
 * approved by others, each written as a bank file, submitted, answered by the simulated bank and
 * its two answers ingested.
 */
export async function payOutstanding(
  context: DemoContext,
  label: string,
  outstanding: number,
  bank: BankBehaviour,
): Promise<void> {
  const batches = await buildBatches(context, label, outstanding);
  await approve(context, batches);
  for (const [index, batch] of batches.entries()) {
    const which = `${index + 1}/${batches.length}`;
    const pain001 = await writeBankFile(context, `${label}: bank file ${which}`, batch);
    await submit(context, `${label}: submitting batch ${which}`, batch);
    await answerAsTheBank(context, label, pain001, bank);
  }
}

/** The job reports a step per batch; the payments each batch claims show how far it got. */
async function buildBatches(context: DemoContext, label: string, outstanding: number): Promise<BuiltBatch[]> {
  const { client, progress, store } = context;
  const batched = await AppendedEvents.from(store, 'PaymentBatched');
  const queued = await client.ok<JobView>(
    'finance-officer',
    'fo-siti',
    'POST',
    `/rounds/${PROGRAMME_ID}/${PERIOD}/batches`,
  );
  const phase = { title: `${label}: building batches`, unit: 'payments batched' };
  const built = await followJob(client, progress, phase, queued, async () => ({
    done: Math.min(await batched.count(), outstanding),
    total: outstanding,
  }));
  const batches = built.result as BuiltBatch[];
  const sizes = batches.map((batch) => `${batch.count} payments / Rp ${batch.controlSum}`).join(', ');
  progress.say(`  ${batches.length} batch(es) made by fo-siti: ${sizes}`);
  return batches;
}

/** fo-budi approves; above Rp 500 million a second approver (fo-yuli) is required: four eyes. */
async function approve({ client, progress }: DemoContext, batches: readonly BuiltBatch[]): Promise<void> {
  for (const batch of batches) {
    const view = await client.ok<{ requiredApprovals: number; contentHash: string }>(
      'finance-officer',
      'fo-budi',
      'GET',
      `/batches/${batch.batchId}`,
    );
    for (const approver of ['fo-budi', 'fo-yuli'].slice(0, view.requiredApprovals)) {
      await client.ok('finance-officer', approver, 'POST', `/batches/${batch.batchId}/approvals`, {
        contentHash: view.contentHash,
      });
    }
  }
  const fourEyes = batches.some((batch) => batch.requiredApprovals > 1);
  progress.say(
    `  approved by fo-budi${fourEyes ? ' and fo-yuli (four eyes, two approvers above Rp 500 million)' : ''}`,
  );
}

/** Has the job write the batch's files and returns where its pain.001 is. */
async function writeBankFile(context: DemoContext, title: string, batch: BuiltBatch): Promise<string> {
  const { client, progress, config } = context;
  const queued = await client.ok<JobView>('bank-integration', 'h2h', 'POST', `/batches/${batch.batchId}/file`);
  const written = (await followJob(client, progress, { title, unit: 'payments' }, queued)).result as WrittenBankFile[];
  const pain001 = written.find((file) => file.format === 'pain001');
  if (!pain001) throw new Error(`The bank file job of batch ${batch.batchId} wrote no pain.001`);
  // The demo runs the workers in its own process, so the file is on this machine.
  const path = join(config.bankIntegration.filesDir, 'outbound', pain001.fileName);
  context.bankFiles.set(batch.batchId, path);
  return path;
}

/** Hands the file to the bank: one request that marks each of the batch's payments sent. */
async function submit({ client, progress, store }: DemoContext, title: string, batch: BuiltBatch): Promise<void> {
  const phase = { title, total: batch.count, unit: 'payments sent', eventType: 'PaymentSentToBank' };
  await countedRequest(store, progress, phase, () =>
    client.ok('bank-integration', 'h2h', 'POST', `/batches/${batch.batchId}/submission`),
  );
}

/** The simulated bank answers the pain.001 (seeded by the pass's label); both answers are ingested. */
async function answerAsTheBank(
  context: DemoContext,
  label: string,
  pain001: string,
  bank: BankBehaviour,
): Promise<void> {
  const { client, progress, config } = context;
  const simulation = { ...DEFAULT_SIMULATION, ...bank, seed: label };
  const answer = await runBankSim(
    pain001,
    simulation,
    config.bankIntegration.treasury.accountNumber,
    context.bankAnswersDir,
  );
  const { credited, rejected, returned } = answer.summary;
  progress.say(`  bank: ${credited} credited, ${rejected} rejected, ${returned} credited then returned`);
  for (const [kind, path] of [
    ['pain.002', answer.pain002Path],
    ['camt.054', answer.camt054Path],
  ] as const) {
    const text = await readFile(path, 'utf8');
    const queued = await client.ok<JobView>(
      'bank-integration',
      'h2h',
      'POST',
      '/bank-results',
      text,
      'application/xml',
    );
    await followJob(client, progress, { title: `${label}: ingesting ${kind}`, unit: 'lines' }, queued);
  }
}
