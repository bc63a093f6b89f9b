import { randomUUID } from 'node:crypto';
import { startLedgerApi } from '../ledger/ledger-api';
import { BankRoundApi, JobView, startBankRoundApi } from './support/bank-round-api';
import { rawRequest } from './support/raw-request';

/** The bank-integration endpoints' edges: roles, refusals, failed jobs, no Redis. */
describe('bank-integration HTTP', () => {
  let api: BankRoundApi;
  beforeAll(async () => {
    api = await startBankRoundApi({ BANK_RESULT_MAX_BYTES: '2048' });
  });
  afterAll(() => api?.close());

  it('fails a job for good on a broken rule and lists it under GET /jobs/failed', async () => {
    // A batch whose creation was abandoned: it exists (an unknown one is a 404 before any job), and gets no file.
    const batchId = randomUUID();
    const at = new Date().toISOString();
    await api.store.append(
      `batch-${batchId}`,
      [
        {
          id: randomUUID(),
          type: 'BatchCreationStarted',
          data: {
            batchId,
            programmeId: 'BANTU-UMAK-2026',
            period: '2026-11',
            makerId: 'fo-1',
            payments: [],
            count: 0,
            controlSum: '0.00',
            requiredApprovals: 1,
            expiresAt: at,
            at,
          },
        },
        { id: randomUUID(), type: 'BatchCreationAbandoned', data: { batchId, reason: 'test', at } },
      ],
      { expectedRevision: 'no_stream' },
    );
    const started = await api.call('finance-officer', 'fo-1', 'POST', `/batches/${batchId}/file`);
    expect(started.status).toBe(202);
    const jobId = started.json<JobView>().id;
    await expect(api.finish(started.json<JobView>())).rejects.toThrow(/BATCH_NOT_APPROVED/);
    const failed = await api.call('bank-integration', 'h2h', 'GET', '/jobs/failed');
    expect(failed.status).toBe(200);
    expect(failed.json<JobView[]>()).toEqual([
      expect.objectContaining({
        id: jobId,
        state: 'failed',
        attemptsMade: 1,
        failedReason: expect.stringMatching(/^BATCH_NOT_APPROVED/),
      }),
    ]);
    expect((await api.call('finance-officer', 'fo-1', 'GET', '/jobs/failed')).status).toBe(403);
    expect((await api.call('finance-officer', 'fo-1', 'GET', '/jobs/open-round.NOPE-2026.2026-11')).status).toBe(404);
  });

  it('takes bank results from the bank-integration role only, as XML or CSV, bounded, without a DOCTYPE', async () => {
    const post = (role: 'bank-integration' | 'finance-officer', body: string, type: string) =>
      api.call(role, 'u', 'POST', '/bank-results', body, { 'content-type': type });
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>' +
      '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn/></Document>';
    expect((await post('finance-officer', xxe, 'application/xml')).status).toBe(403);
    const refused = await post('bank-integration', xxe, 'application/xml');
    expect({ status: refused.status, code: refused.json().code }).toEqual({ status: 400, code: 'DOCTYPE_REFUSED' });
    expect((await post('bank-integration', '{}', 'application/json')).status).toBe(415);
    const large = await post('bank-integration', `end_to_end_id\n${'x'.repeat(4_096)}`, 'text/csv');
    expect({ status: large.status, code: large.json().code }).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('gives the download only to finance officers and the bank-integration role', async () => {
    const batchId = randomUUID();
    expect((await api.call('programme-officer', 'po', 'GET', `/batches/${batchId}/file`)).status).toBe(403);
    const missing = await api.call('bank-integration', 'h2h', 'GET', `/batches/${batchId}/file?format=csv`);
    expect({ status: missing.status, code: missing.json().code }).toEqual({ status: 404, code: 'BANK_FILE_NOT_FOUND' });
    expect((await api.call('bank-integration', 'h2h', 'GET', `/batches/${batchId}/file?format=xls`)).status).toBe(400);
  });
});

describe('bank-integration HTTP without Redis', () => {
  it('answers 503 naming REDIS_URL instead of starting a job', async () => {
    const ledger = await startLedgerApi('sqlite', { REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const token = ledger.api.token('programme-officer', 'po-1');
      const response = await rawRequest(
        'POST',
        `${ledger.api.url}/rounds`,
        { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        JSON.stringify({ programmeId: 'BANTU-UMAK-2026', period: '2026-11' }),
      );
      expect(response.status).toBe(503);
      expect(response.json()).toMatchObject({
        code: 'QUEUE_UNAVAILABLE',
        message: expect.stringContaining('REDIS_URL'),
      });
    } finally {
      await ledger.close();
    }
  });
});
