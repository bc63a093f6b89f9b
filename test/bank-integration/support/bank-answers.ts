import { readPain001 } from '@salur/bank-integration';
import { DEFAULT_SIMULATION, simulateBank } from '../../../libs/bank-integration/src/simulator/bank-simulator';
import type { BankRoundApi, JobView } from './bank-round-api';
import { chunksOf } from './fixtures';

export interface BankAnswerOptions {
  readonly treasuryAccount: string;
  readonly rejectShare: number;
  readonly seed: string;
}

/**
 * An approved batch through the bank as the bank-integration job sees it: the file written (job),
 * downloaded and submitted, the simulated bank's pain.002 and camt.054 for it, both ingested (jobs).
 */
export async function fileSubmitAndIngestAnswers(
  api: BankRoundApi,
  batchId: string,
  options: BankAnswerOptions,
): Promise<void> {
  const finished = async (response: { status: number; json: <T>() => T }) => {
    expect(response.status).toBe(202);
    return api.finish(response.json<JobView>());
  };
  await finished(await api.call('bank-integration', 'h2h', 'POST', `/batches/${batchId}/file`));
  const pain001 = (
    await api.call('bank-integration', 'h2h', 'GET', `/batches/${batchId}/file?format=pain001`)
  ).body.toString('utf8');
  expect((await api.call('bank-integration', 'h2h', 'POST', `/batches/${batchId}/submission`)).status).toBe(200);
  let pain002 = '';
  let camt054 = '';
  await simulateBank(
    readPain001(chunksOf(pain001, 64 * 1024)),
    { ...DEFAULT_SIMULATION, rejectShare: options.rejectShare, returnShare: 0, seed: options.seed },
    options.treasuryAccount,
    { pain002: (chunk) => void (pain002 += chunk), camt054: (chunk) => void (camt054 += chunk) },
  );
  for (const answer of [pain002, camt054]) {
    await finished(
      await api.call('bank-integration', 'h2h', 'POST', '/bank-results', answer, { 'content-type': 'application/xml' }),
    );
  }
}
