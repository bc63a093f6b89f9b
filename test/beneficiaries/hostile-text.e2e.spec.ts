import type { Role } from '@salur/kernel';
import { Caller, enrolment, LedgerApi, startLedgerApi } from '../ledger/ledger-api';
import { http } from '../support/http';

const RLO = '\u202E';
/** What the refusal names: the field and the character, never the text. */
const NAMES_RLO = /must not contain U\+202E RIGHT-TO-LEFT OVERRIDE \(a bidirectional control\) at character \d+$/;
const COLUMNS = 'nik,kk,name,region_code,bank_code,account_number,account_holder_name';

interface ErrorBody {
  code?: string;
  field?: string;
  reason?: string;
}

/**
 * Issue 14: text that reaches a bank file, an export or an officer's screen refuses control,
 * bidirectional and invisible characters. Through the real API: a right-to-left override in a
 * name, an account holder's name or any reason or note is a 400 naming the field, and nothing is
 * written; in a bulk enrolment file it rejects its row, the others are enrolled.
 */
describe('text with bidirectional and invisible characters, through HTTP', () => {
  let ledger: LedgerApi;
  let officer: Caller;
  const programmeId = 'TEKS-2026';
  let beneficiaryId: string;

  beforeAll(async () => {
    ledger = await startLedgerApi('sqlite');
    officer = ledger.as('enrolment-officer');
    const created = await ledger.as('programme-officer').post('/programmes', {
      code: 'TEKS',
      name: 'Bantuan Teks',
      fiscalYear: 2026,
      budgetCeiling: '100000000.00',
      benefitAmount: '600000.00',
      currency: 'IDR',
    });
    expect(created.status).toBe(201);
    const enrolled = await officer.post(`/programmes/${programmeId}/beneficiaries`, enrolment(1));
    expect(enrolled.status).toBe(201);
    beneficiaryId = String(enrolled.body.id);
  });
  afterAll(() => ledger?.close());

  /** The answer to a refused request, and that the log did not move. */
  async function refused(role: Role, path: string, body: unknown): Promise<{ status: number; body: ErrorBody }> {
    const head = await ledger.store.headPosition();
    const response = await ledger.as(role).post<ErrorBody>(path, body);
    expect(await ledger.store.headPosition()).toBe(head);
    return { status: response.status, body: response.body };
  }

  it('refuses U+202E in a name and in an account holder name with 400 naming the field, and writes nothing', async () => {
    const inName = await refused('enrolment-officer', `/programmes/${programmeId}/beneficiaries`, {
      ...enrolment(2),
      name: `SITI ${RLO}HANIMA`,
    });
    expect(inName).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', field: 'name' } });
    expect(inName.body.reason).toMatch(NAMES_RLO);
    expect(inName.body.reason).not.toContain('HANIMA');

    const inHolder = await refused('enrolment-officer', `/programmes/${programmeId}/beneficiaries`, {
      ...enrolment(3),
      bankAccount: { ...enrolment(3).bankAccount, accountHolderName: `SITI${RLO} AMINAH` },
    });
    expect(inHolder).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', field: 'bankAccount.accountHolderName' },
    });
    expect(inHolder.body.reason).toMatch(NAMES_RLO);
  });

  it('refuses U+202E in every reason and note an officer writes, before anything else is looked at', async () => {
    const unknownId = '0d5c7a52-0b8e-4f3a-9b1e-2c3d4e5f6a7b';
    const reason = `verified ${RLO}at the village office`;
    const requests: Array<[Role, string, Record<string, unknown>, string]> = [
      ['enrolment-officer', `/beneficiaries/${beneficiaryId}/suspension`, { reason }, 'reason'],
      ['enrolment-officer', `/beneficiaries/${beneficiaryId}/exit`, { reason: 'moved', note: reason }, 'note'],
      [
        'enrolment-officer',
        `/beneficiaries/${beneficiaryId}/bank-account`,
        { reason: 'new book', bankAccount: { ...enrolment(1).bankAccount, accountHolderName: `A${RLO}B` } },
        'bankAccount.accountHolderName',
      ],
      ['admin', `/beneficiaries/${beneficiaryId}/erasure`, { reason }, 'reason'],
      [
        'programme-officer',
        `/programmes/${programmeId}/budget-ceiling`,
        { newCeiling: '200000000.00', reason },
        'reason',
      ],
      [
        'programme-officer',
        '/programmes',
        {
          code: 'RLO',
          name: `Bantuan ${RLO}Teks`,
          fiscalYear: 2026,
          budgetCeiling: '1.00',
          benefitAmount: '1.00',
          currency: 'IDR',
        },
        'name',
      ],
      ['finance-officer', `/batches/${unknownId}/rejection`, { reason }, 'reason'],
      ['finance-officer', `/batches/${unknownId}/cancellation`, { reason }, 'reason'],
      ['finance-officer', `/batches/${unknownId}/removals`, { paymentIds: [unknownId], reason }, 'reason'],
      ['finance-officer', `/payments/${unknownId}/reversal-request`, { reason }, 'reason'],
      ['finance-officer', `/payments/${unknownId}/outcome-decisions`, { outcome: 'credited', reason }, 'reason'],
      ['bank-integration', `/bank-exceptions/${unknownId}/resolution`, { reason }, 'reason'],
    ];
    for (const [role, path, body, field] of requests) {
      const answer = await refused(role, path, body);
      expect({ path, status: answer.status, code: answer.body.code, field: answer.body.field }).toEqual({
        path,
        status: 400,
        code: 'VALIDATION_FAILED',
        field,
      });
      expect(answer.body.reason).toMatch(NAMES_RLO);
    }
  });

  it('refuses zero-width and control characters too, and a reason with a line break', async () => {
    for (const reason of ['checked\u200B', '\uFEFFchecked', 'checked\u2066', 'first line\nsecond line', 'tab\there']) {
      const answer = await refused('enrolment-officer', `/beneficiaries/${beneficiaryId}/suspension`, { reason });
      expect(answer).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', field: 'reason' } });
    }
  });

  it('rejects a bulk enrolment row holding U+202E as that row, and enrols the others', async () => {
    const rows = [enrolment(11), { ...enrolment(12), name: `SITI ${RLO}12` }, enrolment(13)];
    const held = {
      ...enrolment(14),
      bankAccount: { ...enrolment(14).bankAccount, accountHolderName: `\u200BSITI 14` },
    };
    const response = await bulk([...rows, held].map(csvRow));

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ rows: 4, enrolled: 2, rejected: 2 });
    expect(response.body.results).toEqual([
      expect.objectContaining({ row: 2, status: 'enrolled' }),
      expect.objectContaining({ row: 3, status: 'rejected', code: 'INVALID_NAME', field: 'name' }),
      expect.objectContaining({ row: 4, status: 'enrolled' }),
      expect.objectContaining({
        row: 5,
        status: 'rejected',
        code: 'INVALID_BANK_ACCOUNT',
        field: 'bankAccount.accountHolderName',
      }),
    ]);
    expect(response.body.results[1].reason).toMatch(NAMES_RLO);
  });

  function bulk(lines: readonly string[], header = COLUMNS) {
    return http<{ results: Array<Record<string, unknown>> } & Record<string, unknown>>(
      'POST',
      `${ledger.api.url}/programmes/${programmeId}/beneficiaries/bulk`,
      {
        rawBody: [header, ...lines].join('\n'),
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${ledger.api.token('enrolment-officer')}` },
      },
    );
  }
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
