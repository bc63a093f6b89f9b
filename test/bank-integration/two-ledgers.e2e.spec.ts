import { randomUUID } from 'node:crypto';
import { identifyLedger, LEDGER_STREAM } from '@salur/queue';
import IORedis from 'ioredis';
import { enrolment } from '../ledger/ledger-api';
import { BankRoundApi, createProgramme, JobView, startBankRoundApi } from './support/bank-round-api';

const programmeId = 'BANTU-UMAK-2026';
const period = '2026-11';

type RunView = JobView & { readonly run: number };

/**
 * Two ledgers, one on SQLite and one on PostgreSQL, share the local Redis and one QUEUE_PREFIX,
 * each with its embedded workers. Each writes its own identity into its own store, and its
 * queues live under it: both open a round of the same programme code and period (the same job
 * id), each gets exactly its own payments, and neither sees the other's jobs.
 */
describe('two ledgers sharing one Redis and one queue prefix', () => {
  const prefix = `salur-test-two-ledgers-${randomUUID()}`;
  let sqlite: BankRoundApi;
  let postgres: BankRoundApi;

  beforeAll(async () => {
    [sqlite, postgres] = await Promise.all([
      startBankRoundApi({ QUEUE_PREFIX: prefix }, 'sqlite'),
      startBankRoundApi({ QUEUE_PREFIX: prefix }, 'postgres'),
    ]);
  });
  afterAll(async () => {
    await sqlite?.close();
    await postgres?.close();
  });

  async function openRoundWith(api: BankRoundApi, serials: readonly number[]): Promise<RunView> {
    expect((await createProgramme(api)).status).toBe(201);
    for (const serial of serials) {
      const path = `/programmes/${programmeId}/beneficiaries`;
      expect((await api.call('enrolment-officer', 'eo-1', 'POST', path, enrolment(serial))).status).toBe(201);
    }
    const opened = await api.call('programme-officer', 'po-1', 'POST', '/rounds', { programmeId, period });
    expect(opened.status).toBe(202);
    return opened.json<RunView>();
  }

  it('runs each round on its own ledger, and each ledger sees only its own jobs', async () => {
    const [sqliteLedger, postgresLedger] = await Promise.all([
      identifyLedger(sqlite.store, 'not-the-first'),
      identifyLedger(postgres.store, 'not-the-first'),
    ]);
    expect(sqliteLedger).not.toBe(postgresLedger);
    expect(sqliteLedger).not.toBe('not-the-first');
    expect(await sqlite.events('LedgerIdentified')).toEqual([
      expect.objectContaining({ streamName: LEDGER_STREAM, data: expect.objectContaining({ ledgerId: sqliteLedger }) }),
    ]);

    const [sqliteRun, postgresRun] = await Promise.all([
      openRoundWith(sqlite, [1, 2, 3]),
      openRoundWith(postgres, [11, 12]),
    ]);
    expect(sqliteRun.id).toBe(postgresRun.id);
    expect((await sqlite.finish(sqliteRun)).result).toMatchObject({ total: 3, scheduled: 3 });
    expect((await postgres.finish(postgresRun)).result).toMatchObject({ total: 2, scheduled: 2 });
    expect(await sqlite.events('PaymentScheduled')).toHaveLength(3);
    expect(await postgres.events('PaymentScheduled')).toHaveLength(2);

    // A supplementary run on one ledger only: the other has no such job.
    const supplementary = (
      await sqlite.call('programme-officer', 'po-1', 'POST', '/rounds', { programmeId, period })
    ).json<RunView>();
    expect(supplementary.run).toBe(2);
    await sqlite.finish(supplementary);
    const seenByOther = await postgres.call('admin', 'admin-1', 'GET', `/jobs/${supplementary.id}`);
    expect(seenByOther.status).toBe(404);
    expect(seenByOther.json()).toMatchObject({ code: 'JOB_NOT_FOUND' });
    const sameIdElsewhere = await postgres.call('admin', 'admin-1', 'GET', `/jobs/${postgresRun.id}`);
    expect(sameIdElsewhere.json()).toMatchObject({ state: 'completed', result: { total: 2 } });

    // Every key of both ledgers is under the shared prefix, then the ledger's own id.
    const redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
    try {
      const keys = await redis.keys(`${prefix}:*`);
      const ledgers = new Set(keys.map((key) => key.slice(prefix.length + 1).split(':')[0]));
      expect([...ledgers].sort()).toEqual([sqliteLedger, postgresLedger].sort());
    } finally {
      redis.disconnect();
    }
  });
});
