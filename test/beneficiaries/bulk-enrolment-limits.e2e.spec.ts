import { MAX_BULK_ENROLMENT_ROW_BYTES } from '@salur/beneficiaries';
import { enrolment, LedgerApi, startLedgerApi } from '../ledger/ledger-api';
import { http } from '../support/http';

const COLUMNS = 'nik,kk,name,region_code,bank_code,account_number,account_holder_name';
type Report = { results: Array<Record<string, unknown>> } & Record<string, unknown>;

/**
 * Issue 14: a bulk enrolment file with one 5 KB row answered EMPTY_FILE ("no header row"): the
 * streaming parser failed the whole file on the long row and dropped the rows it had read. Now a
 * long data row is one rejected row (ROW_TOO_LONG, with the limit) while the others are enrolled,
 * and a long header refuses the file as HEADER_TOO_LONG.
 */
describe('bulk enrolment rows over the size limit, through HTTP', () => {
  let ledger: LedgerApi;
  const programmeId = 'PANJANG-2026';

  beforeAll(async () => {
    ledger = await startLedgerApi('sqlite');
    const created = await ledger.as('programme-officer').post('/programmes', {
      code: 'PANJANG',
      name: 'Bantuan Panjang',
      fiscalYear: 2026,
      budgetCeiling: '100000000.00',
      benefitAmount: '600000.00',
      currency: 'IDR',
    });
    expect(created.status).toBe(201);
  });
  afterAll(() => ledger?.close());

  function bulk(text: string) {
    return http<Report>('POST', `${ledger.api.url}/programmes/${programmeId}/beneficiaries/bulk`, {
      rawBody: text,
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${ledger.api.token('enrolment-officer')}` },
    });
  }

  const tooLong = (serial: number) => csvRow({ ...enrolment(serial), name: `SITI ${'A'.repeat(5_000)}` });

  it('reports a 5 KB row as that row, too long, with the limit', async () => {
    const response = await bulk(`${COLUMNS}\n${tooLong(1)}\n`);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ rows: 1, enrolled: 0, rejected: 1 });
    expect(response.body.results).toEqual([
      {
        row: 2,
        status: 'rejected',
        code: 'ROW_TOO_LONG',
        reason: `the row is longer than the limit of ${MAX_BULK_ENROLMENT_ROW_BYTES} bytes`,
      },
    ]);
    expect(response.body).not.toHaveProperty('fileError');
  });

  it('enrols the rows around a long one', async () => {
    const response = await bulk([COLUMNS, csvRow(enrolment(2)), tooLong(3), csvRow(enrolment(4))].join('\r\n'));

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ rows: 3, enrolled: 2, rejected: 1 });
    expect(response.body.results).toEqual([
      expect.objectContaining({ row: 2, status: 'enrolled' }),
      expect.objectContaining({ row: 3, status: 'rejected', code: 'ROW_TOO_LONG' }),
      expect.objectContaining({ row: 4, status: 'enrolled' }),
    ]);
  });

  it('refuses a header over the limit with 400 HEADER_TOO_LONG naming the limit, and writes nothing', async () => {
    const head = await ledger.store.headPosition();
    const response = await bulk(`${COLUMNS},${'x'.repeat(5_000)}\n${csvRow(enrolment(5))}\n`);

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'HEADER_TOO_LONG', field: 'file' });
    expect(String((response.body as Record<string, unknown>).message)).toContain(
      `${MAX_BULK_ENROLMENT_ROW_BYTES} bytes`,
    );
    expect(await ledger.store.headPosition()).toBe(head);
  });

  it('still calls a file without a header row empty', async () => {
    const response = await bulk('\n\n');
    expect(response).toMatchObject({ status: 400, body: { code: 'EMPTY_FILE' } });
  });
});

function csvRow(row: ReturnType<typeof enrolment>): string {
  const { bankAccount } = row;
  return [
    row.nik,
    row.kk,
    row.name,
    row.regionCode,
    bankAccount.bankCode,
    bankAccount.accountNumber,
    bankAccount.accountHolderName,
  ].join(',');
}
