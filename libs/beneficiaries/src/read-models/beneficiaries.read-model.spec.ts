import type { BeneficiaryEvent } from '@salur/beneficiaries';
import { rowsAfter } from '@salur/projections/testing';
import { beneficiariesProjection } from './beneficiaries.projection';

const base = { beneficiaryId: 'ben-1', programmeId: 'p-1' };
const account = { bankCode: '002', accountNumber: '0012345678901234567', accountHolderName: 'Yohana Wenda' };
const enrolled: BeneficiaryEvent = {
  type: 'BeneficiaryEnrolled',
  data: {
    ...base,
    // A Papua NIK: 9,171,… is above 2^53 = 9,007,199,254,740,992; as a number it would change.
    nik: '9171012345678901',
    kk: '9171019876543210',
    name: 'Yohana Wenda',
    regionCode: '91.71.02.1003',
    bankAccount: account,
    enrolledBy: 'e-1',
    at: '2026-01-05T00:00:00.000Z',
  },
};

const beneficiaries = (events: BeneficiaryEvent[]) => rowsAfter(beneficiariesProjection, 'beneficiaries', events);

const stored = (value: string) => JSON.stringify(value);

describe('beneficiaries read model', () => {
  it('keeps NIK, KK and account numbers in their stored form, exact strings (here unsealed: no vault)', () => {
    expect(beneficiaries([enrolled])).toEqual([
      {
        id: 'ben-1',
        programmeId: 'p-1',
        // An event read without the sealing layer carries no search keys.
        nikSearchKey: null,
        kkSearchKey: null,
        sealedNik: stored('9171012345678901'),
        sealedKk: stored('9171019876543210'),
        sealedName: stored('Yohana Wenda'),
        regionCode: '91.71.02.1003',
        bankCode: '002',
        sealedAccountNumber: stored('0012345678901234567'),
        sealedAccountHolderName: stored('Yohana Wenda'),
        status: 'active',
        enrolledAt: '2026-01-05T00:00:00.000Z',
        updatedAt: '2026-01-05T00:00:00.000Z',
      },
    ]);
  });

  it('follows account changes, suspension, reinstatement and exit', () => {
    const newAccount = { bankCode: '009', accountNumber: '000111222333', accountHolderName: 'Yohana Wenda' };
    const changed: BeneficiaryEvent = {
      type: 'BankAccountChanged',
      data: {
        ...base,
        previousBankAccount: account,
        bankAccount: newAccount,
        reason: 'closed',
        changedBy: 'e-1',
        at: '2026-02-01T00:00:00.000Z',
      },
    };
    const suspended: BeneficiaryEvent = {
      type: 'BeneficiarySuspended',
      data: { ...base, reason: 'audit', suspendedBy: 'e-1', at: '2026-03-01T00:00:00.000Z' },
    };
    const reinstated: BeneficiaryEvent = {
      type: 'BeneficiaryReinstated',
      data: { ...base, reason: 'ok', reinstatedBy: 'e-1', at: '2026-04-01T00:00:00.000Z' },
    };
    const exited: BeneficiaryEvent = {
      type: 'BeneficiaryExited',
      data: { ...base, reason: 'graduated', exitedBy: 'e-1', at: '2026-05-01T00:00:00.000Z' },
    };

    expect(beneficiaries([enrolled, changed])[0]).toMatchObject({
      bankCode: '009',
      sealedAccountNumber: stored('000111222333'),
      status: 'active',
    });
    expect(beneficiaries([enrolled, suspended])[0]).toMatchObject({ status: 'suspended' });
    expect(beneficiaries([enrolled, suspended, reinstated])[0]).toMatchObject({ status: 'active' });
    expect(beneficiaries([enrolled, changed, exited])[0]).toMatchObject({
      status: 'exited',
      bankCode: '009',
      enrolledAt: '2026-01-05T00:00:00.000Z',
      updatedAt: '2026-05-01T00:00:00.000Z',
    });
  });
});
