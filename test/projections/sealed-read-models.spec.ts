import { randomUUID } from 'node:crypto';
import { auditTrailProjection, AuditTrailQueries, maskAuditRows } from '@salur/audit-log';
import { BankExceptionQueries, bankExceptionsProjection } from '@salur/bank-integration';
import { bankExceptionIdOf, bankExceptionStreamName, bankFileStreamName } from '@salur/bank-integration/domain';
import { beneficiariesProjection, BeneficiaryQueries } from '@salur/beneficiaries';
import type { EventStore, JsonObject } from '@salur/event-store';
import { ERASED_VALUE } from '@salur/kernel';
import { mask } from '@salur/personal-data';
import { migrateReadModels, NO_POSITION, openReadModelDatabase, type Projection } from '@salur/projections';
import { type Backend, sqliteBackend } from './support/backends';
import { checkpointOf, dumpTables, type RunningEngine, startEngine } from './support/engine-harness';
import { openTestVault, type TestVault } from '../support/personal-data';

const BENEFICIARY = 'b7d4c1e2-0000-4000-8000-000000000001';
const OTHER = 'b7d4c1e2-0000-4000-8000-000000000002';
const NIK = '1606014509850003';
const KK = '1606010101100009';
const NAME = 'Yohana Wenda Sealed';
const ACCOUNT = '001901000378301';
const NEW_ACCOUNT = '009900000000777';
const HOLDER = 'Yohana W Holder';
const LINE_ACCOUNT = '777012345678';
const RESOLUTION = 'Called Ibu Yohana at 0812-555-0101: she closed the account';
const CLEAR_VALUES = [NIK, KK, NAME, ACCOUNT, NEW_ACCOUNT, HOLDER, LINE_ACCOUNT, RESOLUTION];
const SHA = 'c'.repeat(64);
const LINE = 4;
const EXCEPTION = bankExceptionIdOf(SHA, LINE);
const AT = '2026-11-28T09:00:00.000Z';
const METADATA: JsonObject = { actor: { userId: 'eo-1', role: 'enrolment-officer' }, correlationId: 'c' };

const PROJECTIONS = [beneficiariesProjection, auditTrailProjection, bankExceptionsProjection];
const inspector = { role: 'inspector' as const, grants: [] };
const grantedInspector = { role: 'inspector' as const, grants: ['pii'] };

function enrolled(beneficiaryId: string, nik: string) {
  return {
    type: 'BeneficiaryEnrolled',
    data: {
      beneficiaryId,
      programmeId: 'PKH-2026',
      nik,
      kk: KK,
      name: NAME,
      regionCode: '16.06.01.2001',
      bankAccount: { bankCode: '002', accountNumber: ACCOUNT, accountHolderName: HOLDER },
      enrolledBy: 'eo-1',
      at: AT,
    },
  };
}

async function append(store: EventStore, stream: string, type: string, data: Record<string, unknown>) {
  const event = { id: randomUUID(), type, data: data as JsonObject, metadata: METADATA };
  return (await store.append(stream, [event])).position;
}

/**
 * The read models that show personal data, fed through the sealing layer as the apps feed them, on
 * the real SQLite database: their rows hold no clear NIK, KK, name, account or officer's words; the
 * query services open them (masking stays the caller's, by role); an erased key reads '[erased]'
 * at once, with no rebuild; and a NIK or KK is found only whole, by its search key.
 */
describe('read models keep personal data sealed', () => {
  let backend: Backend;
  let personalData: TestVault;
  let running: RunningEngine;

  beforeAll(async () => {
    backend = await sqliteBackend();
    personalData = await openTestVault();
    const store = personalData.sealing(backend.store);
    await append(store, `beneficiary-${BENEFICIARY}`, enrolled(BENEFICIARY, NIK).type, enrolled(BENEFICIARY, NIK).data);
    await append(store, `beneficiary-${OTHER}`, 'BeneficiaryEnrolled', enrolled(OTHER, '1606014509850004').data);
    await append(store, `beneficiary-${BENEFICIARY}`, 'BankAccountChanged', {
      beneficiaryId: BENEFICIARY,
      programmeId: 'PKH-2026',
      previousBankAccount: { bankCode: '002', accountNumber: ACCOUNT, accountHolderName: HOLDER },
      bankAccount: { bankCode: '009', accountNumber: NEW_ACCOUNT, accountHolderName: HOLDER },
      reason: 'closed',
      changedBy: 'eo-1',
      at: AT,
    });
    await append(store, bankFileStreamName(SHA), 'BankResultException', {
      sha256: SHA,
      line: LINE,
      endToEndId: 'e2e-4',
      paymentId: null,
      outcome: 'credited',
      reason: 'UNKNOWN_REFERENCE',
      detail: 'no such payment',
      amount: '600000.00',
      bankReference: 'ref-4',
      batchId: null,
      accountNumber: LINE_ACCOUNT,
      at: AT,
    });
    const head = await append(store, bankExceptionStreamName(EXCEPTION), 'BankResultExceptionResolved', {
      exceptionId: EXCEPTION,
      sha256: SHA,
      line: LINE,
      paymentId: null,
      batchId: null,
      reason: RESOLUTION,
      resolvedBy: 'op-1',
      at: AT,
    });
    running = await startEngine(store, backend.readModel, PROJECTIONS, { untilPosition: head });
  });

  afterAll(async () => {
    await running?.stop();
    await backend?.dispose();
    await personalData?.close();
  });

  const beneficiaries = () => new BeneficiaryQueries(running.db, personalData.vault);
  const trail = () => new AuditTrailQueries(running.db, personalData.vault);
  const exceptions = () => new BankExceptionQueries(running.db, personalData.vault);

  it('holds no clear NIK, KK, name, account or reason in any row of any table', async () => {
    for (const projection of PROJECTIONS) {
      const rows = JSON.stringify(await dumpTables(running.db, projection));
      expect({ projection: projection.name, found: CLEAR_VALUES.filter((value) => rows.includes(value)) }).toEqual({
        projection: projection.name,
        found: [],
      });
    }
    // Not for want of rows: every table that shows personal data has them, sealed.
    const tables = await dumpTables(running.db, beneficiariesProjection);
    expect(tables.beneficiaries).toHaveLength(2);
    expect(String(tables.beneficiaries[0].sealedNik)).toContain('"sealed":"salur-pd/1"');
  });

  it('answers the clear values to the query, masked by the caller for who may not see them', async () => {
    const row = await beneficiaries().getById(BENEFICIARY);
    expect(row).toMatchObject({ nik: NIK, kk: KK, name: NAME, accountNumber: NEW_ACCOUNT, accountHolderName: HOLDER });

    const events = (await trail().list({ beneficiaryId: BENEFICIARY })).items;
    expect(events.map((event) => event.type)).toEqual(['BeneficiaryEnrolled', 'BankAccountChanged']);
    const plain = maskAuditRows(events, inspector);
    expect(plain).toMatchObject({ revealed: false });
    expect(plain.items[0]).toMatchObject({
      nik: mask(NIK),
      data: { nik: mask(NIK), name: NAME, bankAccount: { accountNumber: mask(ACCOUNT) } },
    });
    const granted = maskAuditRows(events, grantedInspector);
    expect(granted).toMatchObject({ revealed: true, revealedBeneficiaryIds: [BENEFICIARY] });
    expect(granted.items[1]).toMatchObject({ nik: NIK, kk: KK, data: { bankAccount: { accountNumber: NEW_ACCOUNT } } });

    expect(await exceptions().get(EXCEPTION)).toMatchObject({ accountNumber: LINE_ACCOUNT, resolution: RESOLUTION });
  });

  it('finds a beneficiary by a whole NIK or KK only, through its search key', async () => {
    expect((await beneficiaries().list({ nik: NIK })).items.map((item) => item.id)).toEqual([BENEFICIARY]);
    expect((await beneficiaries().list({ kk: KK })).items).toHaveLength(2);
    expect((await trail().list({ nik: NIK, types: ['BeneficiaryEnrolled'] })).items).toHaveLength(1);
    expect((await beneficiaries().list({ nik: '1606014509850009' })).items).toEqual([]);
    for (const guess of ['1606', mask(NIK), `${NIK}%`]) {
      await expect(beneficiaries().list({ nik: guess })).rejects.toMatchObject({ code: 'INVALID_NIK' });
      await expect(trail().list({ nik: guess })).rejects.toMatchObject({ code: 'INVALID_NIK' });
    }
  });

  it("reads '[erased]' everywhere as soon as the subject's key is erased, without a rebuild", async () => {
    await personalData.vault.erase(`beneficiary-${BENEFICIARY}`, AT);
    await personalData.vault.erase(bankFileStreamName(SHA), AT);

    expect(await beneficiaries().getById(BENEFICIARY)).toMatchObject({
      nik: ERASED_VALUE,
      kk: ERASED_VALUE,
      name: ERASED_VALUE,
      accountNumber: ERASED_VALUE,
      accountHolderName: ERASED_VALUE,
    });
    // The other beneficiary's data is theirs, under their own key.
    expect(await beneficiaries().getById(OTHER)).toMatchObject({ nik: '1606014509850004', name: NAME });

    const events = (await trail().list({ beneficiaryId: BENEFICIARY })).items;
    for (const viewer of [inspector, grantedInspector]) {
      const shown = maskAuditRows(events, viewer);
      // Nothing is left to see, so nothing is recorded as seen.
      expect(shown).toMatchObject({ revealed: false, revealedBeneficiaryIds: [] });
      expect(shown.items[0]).toMatchObject({
        nik: ERASED_VALUE,
        kk: ERASED_VALUE,
        data: { nik: ERASED_VALUE, name: ERASED_VALUE, bankAccount: { accountNumber: ERASED_VALUE } },
      });
    }
    // The line's account was the file's to erase; the operator's reason is the item's own.
    expect(await exceptions().get(EXCEPTION)).toMatchObject({ accountNumber: ERASED_VALUE, resolution: RESOLUTION });
  });

  it('drops the clear tables of an existing database and refills them from the log', async () => {
    const upgraded = await sqliteBackend();
    try {
      // A database of the version before: the first migrations only, a clear row, a checkpoint.
      const before: Projection[] = PROJECTIONS.map((projection) => ({
        ...projection,
        migrations: { '0001-tables': projection.migrations['0001-tables'] },
      }));
      const db = openReadModelDatabase(upgraded.readModel);
      await migrateReadModels(db, before);
      const tables = db.withTables<Record<string, Record<string, string | number>>>();
      await tables
        .insertInto('beneficiaries')
        .values({
          ...{ id: BENEFICIARY, programmeId: 'PKH-2026', nik: NIK, kk: KK, name: NAME, regionCode: '16.06.01.2001' },
          ...{ bankCode: '002', accountNumber: ACCOUNT, accountHolderName: HOLDER, status: 'active' },
          ...{ enrolledAt: AT, updatedAt: AT, lastPosition: 1 },
        })
        .execute();
      await db
        .insertInto('projectionCheckpoints')
        .values({ name: 'beneficiaries', position: 1, updatedAt: AT })
        .execute();

      await migrateReadModels(db, PROJECTIONS);
      // The clear copy is gone at once; the projection starts again from the first event.
      expect(JSON.stringify(await dumpTables(db, beneficiariesProjection))).not.toContain(NIK);
      expect(await checkpointOf(db, 'beneficiaries')).toBe(NO_POSITION);
      await db.destroy();
    } finally {
      await upgraded.dispose();
    }
  });
});
