import { enrolment } from '../ledger/ledger-api';
import { BankRoundApi, createProgramme, JobView, startBankRoundApi } from './support/bank-round-api';

const programmeId = 'BANTU-UMAK-2026';
const period = '2026-11';

type RunView = JobView & { readonly run: number };

/**
 * Opening a round again for the same period (late enrolments) is a supplementary run under a new
 * job id that schedules exactly those not yet scheduled; it is never the old completed job.
 * Through the real API, its embedded workers, the local Redis and SQLite.
 */
describe('a round opened again after a late enrolment', () => {
  let api: BankRoundApi;

  beforeAll(async () => {
    api = await startBankRoundApi();
    expect((await createProgramme(api)).status).toBe(201);
  });
  afterAll(() => api?.close());

  const enrol = async (serial: number) => {
    const path = `/programmes/${programmeId}/beneficiaries`;
    expect((await api.call('enrolment-officer', 'eo-1', 'POST', path, enrolment(serial))).status).toBe(201);
  };
  const open = (body: Record<string, unknown> = { programmeId, period }) =>
    api.call('programme-officer', 'po-1', 'POST', '/rounds', body);
  const openedRun = async (): Promise<RunView> => {
    const response = await open();
    expect(response.status).toBe(202);
    return response.json<RunView>();
  };
  const scheduled = async () => (await api.events('PaymentScheduled')).map((event) => event.data.beneficiaryId);

  it('schedules exactly the late enrolment in a supplementary run, then nobody in a third', async () => {
    for (const serial of [1, 2, 3]) await enrol(serial);
    const first = await openedRun();
    expect(first).toMatchObject({ run: 1, queue: 'open-round' });
    expect((await api.finish(first)).result).toEqual({ total: 3, scheduled: 3, alreadyScheduled: 0, conflicting: 0 });

    await enrol(4);
    const second = await openedRun();
    expect(second.run).toBe(2);
    expect(second.id).not.toBe(first.id);
    expect((await api.finish(second)).result).toEqual({ total: 4, scheduled: 1, alreadyScheduled: 3, conflicting: 0 });
    const afterSecond = await scheduled();
    expect(afterSecond).toHaveLength(4);
    expect(new Set(afterSecond).size).toBe(4);

    const third = await openedRun();
    expect(third.run).toBe(3);
    expect(third.id).not.toBe(second.id);
    expect((await api.finish(third)).result).toEqual({ total: 4, scheduled: 0, alreadyScheduled: 4, conflicting: 0 });
    expect(await scheduled()).toHaveLength(4);

    // Each run keeps its own answer.
    const firstAgain = await api.call('programme-officer', 'po-1', 'GET', `/jobs/${first.id}`);
    expect(firstAgain.json()).toMatchObject({ id: first.id, state: 'completed', result: { scheduled: 3 } });
  });

  it('refuses a period the programme does not pay before queueing anything', async () => {
    const head = await api.store.headPosition();
    for (const refused of ['2026-Q4', '2027-01', '2026-ONE']) {
      const answer = await open({ programmeId, period: refused });
      expect(answer.status).toBe(422);
      expect(answer.json()).toMatchObject({ code: 'PERIOD_NOT_DECLARED', field: 'period' });
    }
    expect((await open({ programmeId: 'PKH-2026', period })).json()).toMatchObject({ code: 'PROGRAMME_NOT_FOUND' });
    expect((await open({ programmeId, period: '2026-13' })).status).toBe(400);
    expect(await api.store.headPosition()).toBe(head);
  });
});
