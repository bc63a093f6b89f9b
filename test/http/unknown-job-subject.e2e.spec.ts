import type { Role } from '@salur/kernel';
import { createProgramme, startBankRoundApi, type BankRoundApi } from '../bank-integration/support/bank-round-api';

/**
 * Issue 14: a bank job about a programme or batch the ledger never recorded answered 202 and
 * wrote BankJobRequested (then BankJobFinished). Every job-starting route that names one now
 * answers 404 with the kernel's code, and the log's head does not move. The API runs with its
 * embedded workers on the local Redis, so a job that slipped through would also run.
 */
const UNKNOWN_PROGRAMME = 'NOWHERE-2026';
const UNKNOWN_BATCH = '5b0e8a52-3c1d-4e6f-9a7b-2d4c6e8f0a1b';

describe('jobs about an unknown programme or batch', () => {
  let api: BankRoundApi;

  beforeAll(async () => {
    api = await startBankRoundApi();
    expect((await createProgramme(api)).status).toBe(201);
  });
  afterAll(() => api?.close());

  const routes: ReadonlyArray<[Role, string, string, unknown, string]> = [
    [
      'programme-officer',
      'POST',
      '/rounds',
      { programmeId: UNKNOWN_PROGRAMME, period: '2026-11' },
      'PROGRAMME_NOT_FOUND',
    ],
    ['finance-officer', 'POST', `/rounds/${UNKNOWN_PROGRAMME}/2026-11/batches`, undefined, 'PROGRAMME_NOT_FOUND'],
    ['finance-officer', 'POST', `/batches/${UNKNOWN_BATCH}/file`, undefined, 'BATCH_NOT_FOUND'],
    ['bank-integration', 'POST', `/batches/${UNKNOWN_BATCH}/file`, undefined, 'BATCH_NOT_FOUND'],
  ];

  it.each(routes)('%s %s %s answers 404 and writes nothing', async (role, method, path, body, code) => {
    const head = await api.store.headPosition();
    const response = await api.call(role, `${role}-1`, method, path, body);
    expect({ status: response.status, code: response.json().code }).toEqual({ status: 404, code });
    expect(await api.store.headPosition()).toBe(head);
  });

  it('still starts the job for a programme that exists', async () => {
    const response = await api.call('finance-officer', 'fo-1', 'POST', '/rounds/BANTU-UMAK-2026/2026-11/batches');
    expect(response.status).toBe(202);
    await api.finish(response.json());
    expect((await api.events('BankJobRequested')).length).toBe(1);
  });
});
