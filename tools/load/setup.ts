import { readPain001 } from '@salur/bank-integration';
import { DEFAULT_SIMULATION, simulateBank } from '../../libs/bank-integration/src/simulator/bank-simulator';
import { ApiClient, JobView } from './api-client';
import { registryCsv } from './people';

export const PROGRAMME = { code: 'LOAD-TEST', fiscalYear: 2026, benefitAmount: '600000.00' };
export const PROGRAMME_ID = `${PROGRAMME.code}-${PROGRAMME.fiscalYear}`;
export const PERIOD = '2026-11';
/** The maker of every batch of the set-up; the load's approvers are others (and, on purpose, sometimes the maker). */
export const MAKER = 'fo-maker';
export const TREASURY_ACCOUNT = '0012301000000099';
/**
 * Batches of 1 to 5 payments of Rp 600,000: up to Rp 1.2 million one approver, up to 2.4 million
 * two, above three. The race batches cycle through the sizes, so every tier is raced.
 */
export const APPROVAL_TIERS = '1200000.00:1,2400000.00:2,*:3';
const RACE_BATCH_SIZES = [1, 2, 3, 4, 5];
export const BANK_BATCH_PAYMENTS = 25;
const ENROLMENT_CHUNK = 250;
const PAGE_LIMIT = 500;
const SETUP_PARALLEL = 4;
const READ_MODEL_WAIT_MS = 60_000;

export interface SetupSizes {
  readonly raceBatches: number;
  readonly bankBatches: number;
}

export interface RaceBatch {
  readonly batchId: string;
  readonly contentHash: string;
  readonly requiredApprovals: number;
}

export interface ResultFile {
  readonly name: string;
  readonly body: string;
}

export interface Fixture {
  /** The first serial the load may enrol: every serial below is enrolled by the set-up. */
  readonly firstFreeSerial: number;
  readonly raceBatches: readonly RaceBatch[];
  readonly bankBatchIds: readonly string[];
  /** pain.002 and camt.054 of each submitted bank batch, as the bank simulator answered. */
  readonly resultFiles: readonly ResultFile[];
}

/**
 * What the load needs before it starts, made through the API: a programme with room for every
 * batch, beneficiaries, a round, race batches (pending, 1 to 3 approvals needed) and bank
 * batches (approved, filed and submitted, with the bank's answers ready to upload).
 */
export async function setUp(api: ApiClient, sizes: SetupSizes, log: (line: string) => void): Promise<Fixture> {
  const racePayments = Array.from({ length: sizes.raceBatches }, (_, i) => RACE_BATCH_SIZES[i % 5]).reduce(
    (sum, size) => sum + size,
    0,
  );
  const pool = racePayments + sizes.bankBatches * BANK_BATCH_PAYMENTS;
  await api.ok('programme-officer', 'po-load', 'POST', '/programmes', {
    code: PROGRAMME.code,
    name: 'Load test programme',
    fiscalYear: PROGRAMME.fiscalYear,
    budgetCeiling: '900000000000.00',
    benefitAmount: PROGRAMME.benefitAmount,
    currency: 'IDR',
  });
  for (let first = 1; first <= pool; first += ENROLMENT_CHUNK) {
    const count = Math.min(ENROLMENT_CHUNK, pool - first + 1);
    const report = await api.ok<{ enrolled: number }>(
      'enrolment-officer',
      'eo-setup',
      'POST',
      `/programmes/${PROGRAMME_ID}/beneficiaries/bulk`,
      registryCsv(first, count),
      'text/csv',
    );
    if (report.enrolled !== count) throw new Error(`Set-up enrolled ${report.enrolled} of ${count}`);
  }
  log(`set-up: ${pool} beneficiaries enrolled`);
  await api.finish(
    await api.ok<JobView>('programme-officer', 'po-load', 'POST', '/rounds', {
      programmeId: PROGRAMME_ID,
      period: PERIOD,
    }),
  );
  const paymentIds = await scheduledPayments(api, pool);

  const raceBatches = await createRaceBatches(api, paymentIds.slice(0, racePayments), sizes.raceBatches);
  log(`set-up: ${raceBatches.length} race batches pending`);
  const built = await api.finish(
    await api.ok<JobView>('finance-officer', MAKER, 'POST', `/rounds/${PROGRAMME_ID}/${PERIOD}/batches`),
  );
  const bankBatchIds = (built.result as Array<{ batchId: string }>).map((batch) => batch.batchId);
  const resultFiles: ResultFile[] = [];
  for (const batchId of bankBatchIds) resultFiles.push(...(await fileAndSubmit(api, batchId)));
  log(`set-up: ${bankBatchIds.length} bank batches submitted, ${resultFiles.length} result files ready`);
  return { firstFreeSerial: pool + 1, raceBatches, bankBatchIds, resultFiles };
}

/** The round's payment ids from the read model, once it has them all (the round job writes them just before). */
async function scheduledPayments(api: ApiClient, expected: number): Promise<string[]> {
  const deadline = Date.now() + READ_MODEL_WAIT_MS;
  for (;;) {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const query = `programmeId=${PROGRAMME_ID}&period=${PERIOD}&status=scheduled&limit=${PAGE_LIMIT}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page: { items: Array<{ id: string }>; nextCursor: string | null } = await api.ok(
        'finance-officer',
        MAKER,
        'GET',
        `/payments?${query}`,
      );
      ids.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    if (ids.length === expected) return ids.sort();
    if (Date.now() > deadline) throw new Error(`The payments read model shows ${ids.length} of ${expected} payments`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function createRaceBatches(api: ApiClient, paymentIds: readonly string[], count: number): Promise<RaceBatch[]> {
  const groups: string[][] = [];
  let next = 0;
  for (let i = 0; i < count; i++) {
    const size = RACE_BATCH_SIZES[i % RACE_BATCH_SIZES.length];
    groups.push(paymentIds.slice(next, next + size));
    next += size;
  }
  const batches: RaceBatch[] = new Array(count);
  let taken = 0;
  const worker = async () => {
    while (taken < groups.length) {
      const index = taken++;
      const receipt = await api.ok<{ id: string; contentHash: string; requiredApprovals: number }>(
        'finance-officer',
        MAKER,
        'POST',
        '/batches',
        { programmeId: PROGRAMME_ID, period: PERIOD, paymentIds: groups[index] },
      );
      batches[index] = {
        batchId: receipt.id,
        contentHash: receipt.contentHash,
        requiredApprovals: receipt.requiredApprovals,
      };
    }
  };
  await Promise.all(Array.from({ length: SETUP_PARALLEL }, worker));
  return batches;
}

/** Approves (by set-up officers), writes and submits one bank batch; returns the bank's two answers. */
async function fileAndSubmit(api: ApiClient, batchId: string): Promise<ResultFile[]> {
  const batch = await api.ok<{ contentHash: string; requiredApprovals: number }>(
    'finance-officer',
    'fo-setup-1',
    'GET',
    `/batches/${batchId}`,
  );
  for (let approver = 1; approver <= batch.requiredApprovals; approver++) {
    await api.ok('finance-officer', `fo-setup-${approver}`, 'POST', `/batches/${batchId}/approvals`, {
      contentHash: batch.contentHash,
    });
  }
  await api.finish(await api.ok<JobView>('bank-integration', 'h2h-setup', 'POST', `/batches/${batchId}/file`));
  await api.ok('bank-integration', 'h2h-setup', 'POST', `/batches/${batchId}/submission`);
  const pain001 = await api.ok<string>(
    'bank-integration',
    'h2h-setup',
    'GET',
    `/batches/${batchId}/file?format=pain001`,
  );
  let pain002 = '';
  let camt054 = '';
  await simulateBank(
    readPain001(oneChunk(pain001)),
    { ...DEFAULT_SIMULATION, rejectShare: 0.04, returnShare: 0.02, seed: batchId },
    TREASURY_ACCOUNT,
    { pain002: (chunk) => void (pain002 += chunk), camt054: (chunk) => void (camt054 += chunk) },
  );
  return [
    { name: `${batchId}.pain002.xml`, body: pain002 },
    { name: `${batchId}.camt054.xml`, body: camt054 },
  ];
}

async function* oneChunk(text: string): AsyncIterable<string> {
  yield text;
}
