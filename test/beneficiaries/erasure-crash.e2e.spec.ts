import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStoreConfigFrom, openEventStore } from '@salur/event-store';
import { AccessTokens, jwtConfigFrom } from '@salur/http';
import { checkLedger } from '@salur/invariants';
import type { Role } from '@salur/kernel';
import { personalDataConfigFrom, SqlPersonalDataKeyStore } from '@salur/personal-data';
import { ApiProcess, startApiProcess } from '../../tools/load/api-process';
import { exchange } from '../../tools/load/http-exchange';
import { enrolment } from '../ledger/ledger-api';

/**
 * The approval records BeneficiaryErased, then deletes the key. Killed with SIGKILL between the
 * two (SALUR_CRASH_AT=beneficiary-erasure:erased), the API leaves a stream that ends erased and a
 * key still held, which the checker reports; the next process's erasure pass (at start-up, then
 * every WORKFLOW_INTERVAL) deletes the key, and the checker is clean again.
 */
const JWT_SECRET = 'crash-test-secret-of-the-erasure-0123456789abcdef';
const tokens = new AccessTokens(jwtConfigFrom({ JWT_SECRET }));
const CRASH_TIMEOUT_MS = 60_000;
const PASS_TIMEOUT_MS = 60_000;
const POLL_MS = 200;

describe('an erasure killed between its event and its key deletion', () => {
  let directory: string;
  let env: Record<string, string>;
  let api: ApiProcess | undefined;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'salur-erasure-crash-'));
    env = {
      SQLITE_PATH: join(directory, 'salur.db'),
      BANK_FILES_DIR: join(directory, 'bank-files'),
      JWT_SECRET,
      BENEFICIARY_ID_KEY: 'erasure-crash-test-beneficiary-id-key-0123456789',
      QUEUE_PREFIX: `salur-erasure-crash-${process.pid}`,
      EMBEDDED_WORKERS: 'false',
      JOB_RECOVERY_INTERVAL: '0',
      BANK_OUTCOME_PASS_INTERVAL: '0',
    };
  });
  afterAll(async () => {
    await api?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  const post = (url: string, role: Role, userId: string, path: string, body: unknown = {}) =>
    exchange(
      'POST',
      `${url}${path}`,
      {
        authorization: `Bearer ${tokens.issue({ userId, role, ttlSeconds: 600 })}`,
        'content-type': 'application/json',
      },
      JSON.stringify(body),
    );

  it('is finished by the erasure pass of the next process', async () => {
    api = await startApiProcess(
      { ...env, WORKFLOW_INTERVAL: '0', SALUR_CRASH_AT: 'beneficiary-erasure:erased' },
      join(directory, 'crash.log'),
    );
    const created = await post(api.url, 'programme-officer', 'po', '/programmes', {
      code: 'HAPUS',
      name: 'Erasure crash',
      fiscalYear: 2026,
      budgetCeiling: '100000000.00',
      benefitAmount: '600000.00',
      currency: 'IDR',
      personalDataRetention: 'P0D',
    });
    expect(created.status).toBe(201);
    const enrolled = await post(
      api.url,
      'enrolment-officer',
      'eo',
      '/programmes/HAPUS-2026/beneficiaries',
      enrolment(1),
    );
    expect(enrolled.status).toBe(201);
    const beneficiaryId = enrolled.json<{ id: string }>().id;
    const subject = `beneficiary-${beneficiaryId}`;
    expect(
      (await post(api.url, 'enrolment-officer', 'eo', `/beneficiaries/${beneficiaryId}/exit`, { reason: 'moved' }))
        .status,
    ).toBe(200);
    const requested = await post(api.url, 'admin', 'admin-a', `/beneficiaries/${beneficiaryId}/erasure`, {
      reason: 'asked for by the data subject',
    });
    expect(requested.status).toBe(200);
    const approval = await post(api.url, 'admin', 'admin-b', `/beneficiaries/${beneficiaryId}/erasure/approval`).then(
      (response) => `answered ${response.status}`,
      () => 'no answer',
    );
    expect(approval).toBe('no answer');
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      api.exited,
      new Promise((resolve) => (timer = setTimeout(() => resolve('still running'), CRASH_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });

    const store = await openEventStore(eventStoreConfigFrom(env));
    const { keyDatabase, masterKey } = personalDataConfigFrom(env);
    const keys = await SqlPersonalDataKeyStore.open(keyDatabase, masterKey);
    try {
      // The crash left the fact without its effect: the checker says so.
      const types: string[] = [];
      for await (const event of store.readStream(subject)) types.push(event.type);
      expect(types.at(-1)).toBe('BeneficiaryErased');
      expect(await keys.holdsKey(subject)).toBe(true);
      const broken = await checkLedger(store, { keyStore: keys });
      expect(broken.violations.map((violation) => violation.invariant)).toEqual(['erased-subjects-hold-no-key']);

      // The next process's pass deletes the key by itself.
      api = await startApiProcess({ ...env, WORKFLOW_INTERVAL: '1' }, join(directory, 'restart.log'));
      const deadline = Date.now() + PASS_TIMEOUT_MS;
      while ((await keys.holdsKey(subject)) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      expect(await keys.holdsKey(subject)).toBe(false);
      const healed = await checkLedger(store, { keyStore: keys });
      expect(healed).toMatchObject({ violations: [], erasedBeneficiaries: 1 });
    } finally {
      await api.stop();
      await keys.close();
      await store.close();
    }
  }, 300_000);
});
