import type { RecordedEvent } from '@salur/event-store';
import { ProjectionStatusService } from '@salur/projections';
import { enrolment, type LedgerApi, nikOf, startLedgerApi } from '../ledger/ledger-api';

type Json = Record<string, unknown>;
type PageOf<Item> = { items: Item[]; nextCursor: string | null };

const ENROLLED = 7;
const NOT_ENROLLED = 9;
const KK = enrolment(ENROLLED).kk;
const SEARCH_ROUTES = ['/beneficiaries', '/audit/trail', '/audit/trail.csv'];

/**
 * Searching by NIK or KK is a read of personal data (issue 14). It replays the oracle attack seen
 * before: an inspector without the pii grant asking, guess after guess, whether a (partial or
 * masked) NIK is enrolled. Now every such request is refused the same way whatever the guess; a
 * granted inspector's searches are recorded, never with the number; and searches are rationed.
 */
describe('searching by NIK or KK', () => {
  let ledger: LedgerApi;
  let enrolledId: string;

  beforeAll(async () => {
    ledger = await startLedgerApi('sqlite');
    await ledger.as('programme-officer').post('/programmes', {
      code: 'PKH',
      name: 'Program Keluarga Harapan',
      fiscalYear: 2026,
      budgetCeiling: '100000000.00',
      benefitAmount: '600000.00',
      currency: 'IDR',
    });
    const enrolled = await ledger
      .as('enrolment-officer')
      .post('/programmes/PKH-2026/beneficiaries', enrolment(ENROLLED));
    expect(enrolled.status).toBe(201);
    enrolledId = String(enrolled.body.id);
    await ledger.api.app.get(ProjectionStatusService).waitFor(enrolled.body.position as number);
  });
  afterAll(() => ledger?.close());

  async function recordsOf(userId: string): Promise<RecordedEvent[]> {
    const records: RecordedEvent[] = [];
    for await (const event of ledger.store.readStream(`pii-access-${userId}`)) records.push(event);
    return records;
  }

  it('refuses every guess of an inspector without the grant alike, and records nothing', async () => {
    const attacker = ledger.as('inspector', 'insp-oracle');
    const nik = nikOf(ENROLLED);
    const guesses = [
      `nik=${nik.slice(0, 4)}`,
      `nik=${nik.slice(0, 12)}`,
      `nik=${nik.slice(0, 4)}********${nik.slice(-4)}`,
      `nik=${nik.slice(0, 15)}%25`,
      `nik=${nik}`,
      `nik=${nikOf(NOT_ENROLLED)}`,
      `kk=${KK}`,
      `NIK=${nik}`,
      `nik[0]=${nik}`,
    ];
    const answers: string[] = [];
    for (const route of SEARCH_ROUTES) {
      for (const guess of guesses) {
        const response = await attacker.get(`${route}?${guess}`);
        expect(response.text).not.toContain(nik);
        answers.push(`${response.status} ${(response.body as Json).code}`);
      }
    }
    // The same answer to the right number, a wrong one and every partial or masked guess: no oracle.
    expect(new Set(answers)).toEqual(new Set(['403 PII_GRANT_REQUIRED']));
    // Neither may officers who see only masked numbers.
    for (const role of ['programme-officer', 'finance-officer'] as const) {
      const response = await ledger.as(role).get(`/beneficiaries?nik=${nik}`);
      expect({ role, status: response.status, code: (response.body as Json).code }).toEqual({
        role,
        status: 403,
        code: 'PII_GRANT_REQUIRED',
      });
    }
    expect(await recordsOf('insp-oracle')).toEqual([]);
    // Without a search, the list stays open to the inspector, masked.
    const listed = await attacker.get<PageOf<Json>>('/beneficiaries?programmeId=PKH-2026');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ nik: '1606********0007' })]);
  });

  it("answers a granted inspector's searches by whole number, and records each, found or not, without the number", async () => {
    const granted = ledger.as('inspector', 'insp-granted', ['pii']);
    const found = await granted.get<PageOf<Json>>(`/beneficiaries?nik=${nikOf(ENROLLED)}`);
    expect(found.body.items).toEqual([expect.objectContaining({ beneficiaryId: enrolledId, nik: nikOf(ENROLLED) })]);
    const none = await granted.get<PageOf<Json>>(`/beneficiaries?nik=${nikOf(NOT_ENROLLED)}`);
    expect(none.body.items).toEqual([]);
    const trail = await granted.get<PageOf<Json>>(`/audit/trail?kk=${KK}&type=BeneficiaryEnrolled`);
    expect(trail.body.items).toEqual([expect.objectContaining({ beneficiaryId: enrolledId, kk: KK })]);
    const partial = await granted.get(`/beneficiaries?nik=${nikOf(ENROLLED).slice(0, 12)}`);
    expect({ status: partial.status, field: (partial.body as Json).field }).toEqual({ status: 400, field: 'nik' });

    const records = await recordsOf('insp-granted');
    expect(records.map((record) => record.data)).toEqual([
      expect.objectContaining({ beneficiaryIds: [enrolledId], endpoint: 'GET /beneficiaries', searchedBy: ['nik'] }),
      expect.objectContaining({ beneficiaryIds: [], endpoint: 'GET /beneficiaries', searchedBy: ['nik'] }),
      expect.objectContaining({ beneficiaryIds: [enrolledId], endpoint: 'GET /audit/trail', searchedBy: ['kk'] }),
    ]);
    const recorded = JSON.stringify(records);
    expect([nikOf(ENROLLED), nikOf(NOT_ENROLLED), KK].filter((value) => recorded.includes(value))).toEqual([]);
    // The enrolment officer types the numbers in: allowed to search, not recorded (as for unmasked reads).
    const officer = await ledger.as('enrolment-officer', 'eo-search').get<PageOf<Json>>(`/beneficiaries?kk=${KK}`);
    expect(officer.body.items).toHaveLength(1);
    expect(await recordsOf('eo-search')).toEqual([]);
  });

  it('rations searches per person: past 30 within a minute answers 429 with Retry-After', async () => {
    const burst = ledger.as('inspector', 'insp-burst', ['pii']);
    const search = (index: number) => burst.get(`${SEARCH_ROUTES[index % 2]}?nik=${nikOf(ENROLLED)}`);
    // Bursts of requests at once until one is refused. The bucket refills a search every two seconds,
    // so on a slow machine the burst may earn a few more: the bound below is from its measured length.
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 31 }, (_, index) => search(index)));
    while (!answers.some((answer) => answer.status === 429) && answers.length < 300) {
      answers.push(...(await Promise.all(Array.from({ length: 10 }, (_, index) => search(index)))));
    }
    const elapsedMs = Date.now() - started;
    const granted = answers.filter((answer) => answer.status === 200);
    const limited = answers.filter((answer) => answer.status === 429);
    expect(granted.length + limited.length).toBe(answers.length);
    expect(granted.length).toBeGreaterThanOrEqual(30);
    expect(granted.length).toBeLessThanOrEqual(30 + Math.ceil(elapsedMs / 2_000));
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(limited[0].body).toMatchObject({ code: 'SEARCH_RATE_LIMITED' });
    expect(Number(limited[0].headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(await recordsOf('insp-burst')).toHaveLength(granted.length);
    // Another person's budget is untouched.
    expect(
      (await ledger.as('inspector', 'insp-other', ['pii']).get(`/beneficiaries?nik=${nikOf(ENROLLED)}`)).status,
    ).toBe(200);
  });
});
