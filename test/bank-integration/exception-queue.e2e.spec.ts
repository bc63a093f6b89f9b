import { randomUUID } from 'node:crypto';
import { bankExceptionIdOf } from '@salur/bank-integration';
import type { RecordedEvent } from '@salur/event-store';
import { BankRoundApi, JobView, startBankRoundApi } from './support/bank-round-api';
import { creditsCsv, fileWithFewBadLines, unknownPaymentId } from './support/exception-files';
import { seedSentPayments } from './support/sent-payments';

interface Item {
  readonly id: string;
  readonly line: number;
  readonly reason: string;
  readonly status: string;
  readonly batchId: string | null;
  readonly sha256: string | null;
  readonly accountNumber: string | null;
  readonly assigneeId: string | null;
  readonly resolution: string | null;
}
interface Count {
  readonly kind: string;
  readonly key: string;
  readonly total: number;
  readonly open: number;
  readonly assigned: number;
  readonly resolved: number;
  readonly shortCredits: number;
}
interface QueuePage {
  readonly items: Item[];
  readonly nextCursor: string | null;
  readonly counts: { readonly batches: Count[]; readonly files: Count[] };
}
interface Receipt {
  readonly id: string;
  readonly position: number | null;
}

/** Streams a file's lines write: its own, its exceptions' and its payments'. Jobs are recorded elsewhere. */
const LINE_STREAMS = /^(bank-file-|bank-exception-|payment-)/;

/**
 * The exception queue through HTTP and the real jobs (SQLite, local Redis): a file with a few bad
 * lines and a short credit becomes items listed and counted per batch and file; an operator
 * assigns and resolves one with a reason; refusals answer with their codes; the same file again
 * adds nothing; a file with too many bad lines is refused whole and writes nothing for its lines.
 */
describe('the exception queue through HTTP', () => {
  let api: BankRoundApi;
  beforeAll(async () => {
    api = await startBankRoundApi({ BANK_RESULT_MAX_EXCEPTIONS: '10' });
  });
  afterAll(() => api?.close());

  const postResults = async (csv: string) => {
    const started = await api.call('bank-integration', 'h2h', 'POST', '/bank-results', csv, {
      'content-type': 'text/csv',
    });
    expect(started.status).toBe(202);
    return started.json<JobView & { sha256: string }>();
  };
  const head = async () => (await api.store.headPosition()) ?? 0;
  const lineEvents = async (after: number): Promise<RecordedEvent[]> =>
    (await api.events()).filter((event) => event.position > after && LINE_STREAMS.test(event.streamName));
  const queue = async (role: 'finance-officer' | 'bank-integration' | 'inspector', query: string) => {
    const response = await api.call(role, `${role}-1`, 'GET', `/bank-exceptions?${query}&minPosition=${await head()}`);
    expect(response.status).toBe(200);
    return response.json<QueuePage>();
  };

  it('lists, counts, assigns and resolves the items of a file; the same file again adds none', async () => {
    const batchId = randomUUID();
    const payments = await seedSentPayments(api.store, batchId, 4);
    const file = fileWithFewBadLines(batchId, payments, 'Q');
    const started = await postResults(file);
    const job = await api.finish(started);
    expect(job.result).toMatchObject({ lines: 6, applied: 2, shortCredits: 1, exceptions: 4 });
    const { sha256 } = started;

    const page = await queue('finance-officer', `sha256=${sha256}`);
    expect(page.items.map((item) => [item.line, item.reason, item.status])).toEqual([
      [2, 'SHORT_CREDIT', 'open'],
      [3, 'UNKNOWN_REFERENCE', 'open'],
      [4, 'AMOUNT_DIFFERS', 'open'],
      [5, 'ACCOUNT_DIFFERS', 'open'],
      [6, 'DUPLICATE', 'open'],
    ]);
    expect(page.items.map((item) => item.id)).toEqual([2, 3, 4, 5, 6].map((line) => bankExceptionIdOf(sha256, line)));
    expect(page.items.every((item) => item.batchId === batchId)).toBe(true);
    const counted = { total: 5, open: 5, assigned: 0, resolved: 0, shortCredits: 1 };
    expect(page.counts).toEqual({
      batches: [{ kind: 'batch', key: batchId, ...counted }],
      files: [{ kind: 'file', key: sha256, ...counted }],
    });
    // The account a line named: masked for a finance officer, whole for the bank operators.
    expect(page.items[3].accountNumber).toBe('0099*******0777');
    const operatorPage = await queue('bank-integration', `batchId=${batchId}&reason=ACCOUNT_DIFFERS`);
    expect(operatorPage.items.map((item) => item.accountNumber)).toEqual(['009900000000777']);
    // An inspector with the pii grant sees it whole, and that read is recorded first.
    const granted = await api.ledger
      .as('inspector', 'insp-pii', ['pii'])
      .get<QueuePage>(`/bank-exceptions?sha256=${sha256}`);
    expect(granted.body.items[3].accountNumber).toBe('009900000000777');
    expect(await api.events('PersonalDataViewed')).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ viewerId: 'insp-pii', beneficiaryIds: [], endpoint: 'GET /bank-exceptions' }),
      }),
    ]);

    const unknownLine = bankExceptionIdOf(sha256, 3);
    const post = (
      role: 'bank-integration' | 'finance-officer' | 'admin',
      userId: string,
      path: string,
      body: unknown,
    ) => api.call(role, userId, 'POST', `/bank-exceptions/${path}`, body);
    expect((await post('finance-officer', 'fo-1', `${unknownLine}/assignment`, { assigneeId: 'op-1' })).status).toBe(
      403,
    );
    const assignment = await post('bank-integration', 'op-lead', `${unknownLine}/assignment`, { assigneeId: 'OP-1' });
    expect(assignment.status).toBe(200);
    expect(assignment.json<Receipt>()).toMatchObject({ id: unknownLine, position: expect.any(Number) });

    const refusal = async (userId: string, path: string, body: unknown) => {
      const response = await post('bank-integration', userId, path, body);
      return { status: response.status, code: response.json().code };
    };
    expect(await refusal('op-2', `${unknownLine}/resolution`, { reason: 'mine' })).toEqual({
      status: 403,
      code: 'BANK_EXCEPTION_ASSIGNED_TO_ANOTHER',
    });
    expect(await refusal('op-1', `${unknownLine}/resolution`, {})).toEqual({
      status: 400,
      code: 'RESOLUTION_REASON_REQUIRED',
    });
    expect(await refusal('op-1', `${unknownLine}/resolution`, { reason: '  ' })).toEqual({
      status: 400,
      code: 'RESOLUTION_REASON_REQUIRED',
    });
    expect(await refusal('op-1', `${randomUUID()}/resolution`, { reason: 'x' })).toEqual({
      status: 404,
      code: 'BANK_EXCEPTION_NOT_FOUND',
    });
    const resolution = await post('bank-integration', 'op-1', `${unknownLine}/resolution`, {
      reason: 'The bank confirmed the transfer belongs to another client',
    });
    expect(resolution.status).toBe(200);
    expect(await refusal('op-1', `${unknownLine}/resolution`, { reason: 'again' })).toEqual({
      status: 409,
      code: 'BANK_EXCEPTION_ALREADY_RESOLVED',
    });
    expect(await refusal('op-lead', `${unknownLine}/assignment`, { assigneeId: 'op-2' })).toEqual({
      status: 409,
      code: 'BANK_EXCEPTION_RESOLVED',
    });

    const after = await queue('inspector', `batchId=${batchId}&status=resolved`);
    expect(after.items).toEqual([
      expect.objectContaining({
        id: unknownLine,
        status: 'resolved',
        assigneeId: 'op-1',
        resolution: 'The bank confirmed the transfer belongs to another client',
      }),
    ]);
    expect(after.counts.batches).toEqual([{ kind: 'batch', key: batchId, ...counted, open: 4, resolved: 1 }]);
    const item = await api.call('admin', 'admin-1', 'GET', `/bank-exceptions/${unknownLine}`);
    expect(item.json()).toMatchObject({ status: 'resolved', resolvedBy: 'op-1', line: 3 });

    // The same file again: the same job, no new item, nothing written for its lines.
    const before = await head();
    const again = await api.finish(await postResults(file));
    expect(again.id).toBe(job.id);
    expect(await lineEvents(before)).toEqual([]);
    expect((await queue('finance-officer', `sha256=${sha256}`)).items).toHaveLength(5);
  });

  it('refuses a file with more bad lines than BANK_RESULT_MAX_EXCEPTIONS whole, writing nothing for its lines', async () => {
    const batchId = randomUUID();
    const [good] = await seedSentPayments(api.store, batchId, 1);
    const csv = creditsCsv([
      { paymentId: good, reference: 'MANY-0', batchId },
      ...Array.from({ length: 11 }, (_, n) => ({ paymentId: unknownPaymentId(), reference: `MANY-${n + 1}` })),
    ]);
    const before = await head();
    const started = await postResults(csv);
    await expect(api.finish(started)).rejects.toThrow(
      /TOO_MANY_EXCEPTIONS: Too many lines of this file do not reconcile \(more than 10 \(BANK_RESULT_MAX_EXCEPTIONS\); first: line 2 UNKNOWN_REFERENCE/,
    );
    const failed = (
      await api.call('admin', 'admin-1', 'GET', `/jobs/${encodeURIComponent(started.id)}`)
    ).json<JobView>();
    expect(failed).toMatchObject({ state: 'failed', failedReason: expect.stringMatching(/^TOO_MANY_EXCEPTIONS/) });
    expect(await lineEvents(before)).toEqual([]);
    expect((await queue('finance-officer', `sha256=${started.sha256}`)).items).toEqual([]);
  });
});
