import { handleCommand, LedgerContext, metadataOf } from '@salur/application';
import { beneficiaryDecider, beneficiaryStreamName, type BeneficiaryCommand } from '@salur/beneficiaries/domain';
import { EventStore, SqliteEventStore } from '@salur/event-store';
import { checkLedger, formatReport } from '@salur/invariants';
import { LEDGER_PERSONAL_DATA } from '@salur/ledger';
import { PersonalDataVault, SealingEventStore, SqlPersonalDataKeyStore } from '@salur/personal-data';
import { randomBytes } from 'node:crypto';

/**
 * "Erased subjects hold no key": a beneficiary whose stream records BeneficiaryErased must have
 * no data key left. The broken state is the one a crash between the event and the key's deletion
 * leaves (or a key store restored from a backup taken before the erasure).
 */
const beneficiaryId = 'e0000000-0000-4000-8000-000000000001';
const programmeId = 'BANTU-UMAK-2026';
const exitedAt = '2026-03-01T00:00:00.000Z';
const erasedAt = '2026-04-01T00:00:00.000Z';
const contextOf = (userId: string, now: string): LedgerContext => ({
  actor: { userId, role: userId.startsWith('admin') ? 'admin' : 'enrolment-officer' },
  now,
  correlationId: 'erased-subjects-test',
  causationId: 'erased-subjects-test',
});

describe('the erased-subjects-hold-no-key rule', () => {
  let raw: EventStore;
  let keys: SqlPersonalDataKeyStore;
  let vault: PersonalDataVault;

  beforeEach(async () => {
    raw = new SqliteEventStore({ path: ':memory:' });
    keys = await SqlPersonalDataKeyStore.open(
      { dialect: 'sqlite', sqlitePath: ':memory:', postgresUrl: '' },
      randomBytes(32),
    );
    vault = new PersonalDataVault(keys, randomBytes(32), LEDGER_PERSONAL_DATA);
    const sealed = new SealingEventStore(raw, vault);
    // Enrolled, exited, erasure requested and approved: the event written, the key not yet deleted.
    const run = (context: LedgerContext, command: Omit<BeneficiaryCommand, 'context'>) =>
      handleCommand(
        sealed,
        beneficiaryStreamName(beneficiaryId),
        beneficiaryDecider,
        { ...command, context } as BeneficiaryCommand,
        { metadata: metadataOf(context) },
      );
    await run(contextOf('officer', '2026-01-05T00:00:00.000Z'), {
      type: 'EnrolBeneficiary',
      data: {
        beneficiaryId,
        programmeId,
        nik: '1606014509850001',
        kk: '1606010101100001',
        name: 'SITI AMINAH',
        regionCode: '16.06.01.2001',
        bankAccount: { bankCode: '002', accountNumber: '001901000378301', accountHolderName: 'SITI AMINAH' },
      },
    });
    await run(contextOf('officer', exitedAt), { type: 'ExitBeneficiary', data: { beneficiaryId, reason: 'moved' } });
    const circumstances = { retention: 'P0D', openPaymentIds: [] };
    await run(contextOf('admin-a', erasedAt), {
      type: 'RequestBeneficiaryErasure',
      data: { beneficiaryId, reason: 'asked for by the data subject', ...circumstances },
    });
    await run(contextOf('admin-b', erasedAt), {
      type: 'ApproveBeneficiaryErasure',
      data: { beneficiaryId, ...circumstances },
    });
  });

  afterEach(async () => {
    await raw.close();
    await keys.close();
  });

  it('fails while the erased beneficiary still holds a key, naming the stream', async () => {
    const report = await checkLedger(raw, { keyStore: keys });
    expect(report.ok).toBe(false);
    expect(report.violations).toEqual([
      expect.objectContaining({
        invariant: 'erased-subjects-hold-no-key',
        streamName: beneficiaryStreamName(beneficiaryId),
        message: expect.stringContaining(beneficiaryId),
      }),
    ]);
    expect(formatReport(report)).toContain('1 VIOLATION(S)');
  });

  it('holds once the key is deleted, and reports the erased beneficiary as such, not as a fault', async () => {
    await vault.erase(beneficiaryStreamName(beneficiaryId), erasedAt);
    const report = await checkLedger(raw, { keyStore: keys });
    expect(report).toMatchObject({ ok: true, violations: [], erasedBeneficiaries: 1 });
    expect(report.checked).toContain('erased-subjects-hold-no-key');
    expect(formatReport(report)).toContain('(1 erased beneficiaries)');
  });

  it('is not checked without a key store', async () => {
    const report = await checkLedger(raw);
    expect(report.checked).not.toContain('erased-subjects-hold-no-key');
    expect(report).toMatchObject({ ok: true, erasedBeneficiaries: 1 });
  });
});
