import { checkLedger } from '@salur/invariants';
import { ProjectionStatusService, READ_MODEL_DATABASE, ReadModelDatabase } from '@salur/projections';
import { enrolment, LedgerApi, startLedgerApi, StoreKind } from '../ledger/ledger-api';

describe.each<StoreKind>(['sqlite', 'postgres'])('the checker compares the read models with the log on %s', (kind) => {
  let ledger: LedgerApi;
  let db: ReadModelDatabase;

  beforeAll(async () => {
    ledger = await startLedgerApi(kind);
    db = ledger.api.app.get<ReadModelDatabase>(READ_MODEL_DATABASE);
    await ledger.as('programme-officer').post('/programmes', {
      code: 'PKH',
      name: 'Program Keluarga Harapan',
      fiscalYear: 2026,
      budgetCeiling: '100000000.00',
      benefitAmount: '600000.00',
      currency: 'IDR',
    });
    const enrolled = await ledger.as('enrolment-officer').post('/programmes/PKH-2026/beneficiaries', enrolment(7));
    await ledger.api.app.get(ProjectionStatusService).waitFor(enrolled.body.position as number);
  });
  afterAll(() => ledger?.close());

  it('finds them equal, then finds an edited row and a deleted row', async () => {
    expect((await checkLedger(ledger.store, { readModels: db })).violations).toEqual([]);

    await db
      .withTables<Record<string, { id: string; name: string }>>()
      .updateTable('programmes')
      .set({ name: 'Program Keluarga Harapan (edited)' })
      .execute();
    await db.withTables<Record<string, { id: string }>>().deleteFrom('beneficiaries').execute();

    const report = await checkLedger(ledger.store, { readModels: db });
    expect(report.ok).toBe(false);
    expect(report.violations.map((violation) => violation.message)).toEqual([
      'programmes/programmes: row PKH-2026 differs from the fold of the log',
      expect.stringMatching(/^beneficiaries\/beneficiaries: row [0-9a-f-]{36} is missing$/),
    ]);
  });
});
