import { specFor } from '@salur/kernel/testing';
import type { BankAccount } from './bank-account';
import type { BeneficiaryCommand, EnrolBeneficiary } from './beneficiary.commands';
import { beneficiaryDecider } from './beneficiary.decider';
import {
  BENEFICIARY_ID,
  BRI_ACCOUNT,
  context,
  enrolled,
  exited,
  fact,
  JAYAPURA_REGION,
  MANDIRI_ACCOUNT,
  OFFICER,
  PAPUA_KK,
  PAPUA_NIK,
  PROGRAMME_ID,
  reinstated,
  suspended,
} from './beneficiary.fixtures';
import { isPayable } from './beneficiary.state';

const given = specFor(beneficiaryDecider);

describe('EnrolBeneficiary', () => {
  const enrol = (overrides: Partial<Record<keyof EnrolBeneficiary['data'], unknown>> = {}): EnrolBeneficiary => ({
    type: 'EnrolBeneficiary',
    data: {
      beneficiaryId: BENEFICIARY_ID,
      programmeId: PROGRAMME_ID,
      nik: PAPUA_NIK,
      kk: PAPUA_KK,
      name: ' Yohana Wenda  ',
      regionCode: JAYAPURA_REGION,
      bankAccount: { ...BRI_ACCOUNT, accountHolderName: 'Yohana Wenda ' },
      ...overrides,
    } as EnrolBeneficiary['data'],
    context,
  });

  it('enrols with trimmed names, keeping NIK, KK and account number as the exact strings', () => {
    given([]).when(enrol()).then([enrolled]);
  });

  it('keeps a Papua NIK above 2^53 exact through JSON, where a number would not', () => {
    const [event] = beneficiaryDecider.decide(enrol(), beneficiaryDecider.initialState);
    const stored = JSON.parse(JSON.stringify(event)) as typeof enrolled;
    expect(stored.data.nik).toBe('9171015203850003');
    expect(stored.data.bankAccount.accountNumber).toBe('001901000378301');
    expect(String(Number(PAPUA_NIK))).not.toBe(PAPUA_NIK);
  });

  it('refuses a second enrolment of the same beneficiary (DUPLICATE_ENROLMENT)', () => {
    given([enrolled]).when(enrol()).thenThrows({ code: 'DUPLICATE_ENROLMENT', kind: 'conflict', field: 'nik' });
  });

  it('refuses re-enrolment after an exit too: the stream is one enrolment', () => {
    given([enrolled, exited('graduated')])
      .when(enrol())
      .thenThrows({ code: 'DUPLICATE_ENROLMENT', kind: 'conflict' });
  });

  it.each([
    ['nik', { nik: '9171013203850003' }, 'INVALID_NIK'],
    ['nik', { nik: Number(PAPUA_NIK) }, 'INVALID_NIK'],
    ['kk', { kk: '9100010102100007' }, 'INVALID_KK'],
    ['name', { name: '' }, 'INVALID_NAME'],
    ['name', { name: 'Yohana\tWenda' }, 'INVALID_NAME'],
    ['regionCode', { regionCode: '91.71.01' }, 'INVALID_REGION_CODE'],
    ['bankAccount.accountNumber', { bankAccount: { ...BRI_ACCOUNT, accountNumber: '12345' } }, 'INVALID_BANK_ACCOUNT'],
    ['beneficiaryId', { beneficiaryId: '' }, 'INVALID_IDENTIFIER'],
    ['programmeId', { programmeId: 'BANTU UMAK' }, 'INVALID_IDENTIFIER'],
  ])('refuses an invalid %s', (field, overrides, code) => {
    given([]).when(enrol(overrides)).thenThrows({ code, kind: 'invalid', field });
  });
});

describe('ChangeBankAccount', () => {
  const change = (bankAccount: BankAccount, reason = 'moved to Bank Mandiri'): BeneficiaryCommand => ({
    type: 'ChangeBankAccount',
    data: { beneficiaryId: BENEFICIARY_ID, bankAccount, reason },
    context,
  });
  const changed = (previousBankAccount: BankAccount, bankAccount: BankAccount, reason = 'moved to Bank Mandiri') => ({
    type: 'BankAccountChanged' as const,
    data: { ...fact, previousBankAccount, bankAccount, reason, changedBy: OFFICER },
  });

  it('changes the account, recording the old and the new one', () => {
    given([enrolled])
      .when(change(MANDIRI_ACCOUNT))
      .then([changed(BRI_ACCOUNT, MANDIRI_ACCOUNT)]);
  });

  it('changes the account of a suspended beneficiary (fixing it is often why they are suspended)', () => {
    given([enrolled, suspended()])
      .when(change(MANDIRI_ACCOUNT))
      .then([changed(BRI_ACCOUNT, MANDIRI_ACCOUNT)]);
  });

  it('treats a corrected holder name on the same account as a change', () => {
    const corrected = { ...BRI_ACCOUNT, accountHolderName: 'Yohana M. Wenda' };
    given([enrolled])
      .when(change(corrected, 'name as in passbook'))
      .then([changed(BRI_ACCOUNT, corrected, 'name as in passbook')]);
  });

  it('does nothing when the account is already the current one (a retry)', () => {
    given([enrolled, changed(BRI_ACCOUNT, MANDIRI_ACCOUNT)])
      .when(change({ ...MANDIRI_ACCOUNT, accountHolderName: ' Yohana Wenda ' }))
      .thenNothingHappens();
  });

  it('refuses once the beneficiary has exited (BENEFICIARY_EXITED)', () => {
    given([enrolled, exited('deceased')])
      .when(change(MANDIRI_ACCOUNT))
      .thenThrows({ code: 'BENEFICIARY_EXITED', kind: 'rule' });
  });

  it('refuses a beneficiary who is not enrolled (BENEFICIARY_NOT_FOUND)', () => {
    given([]).when(change(MANDIRI_ACCOUNT)).thenThrows({ code: 'BENEFICIARY_NOT_FOUND', kind: 'not-found' });
  });

  it('refuses an invalid account or a missing reason', () => {
    given([enrolled])
      .when(change({ ...MANDIRI_ACCOUNT, bankCode: '8' }))
      .thenThrows({ code: 'INVALID_BANK_ACCOUNT', kind: 'invalid', field: 'bankAccount.bankCode' });
    given([enrolled])
      .when(change(MANDIRI_ACCOUNT, ''))
      .thenThrows({ code: 'INVALID_REASON', kind: 'invalid', field: 'reason' });
  });
});

describe('SuspendBeneficiary', () => {
  const suspend = (reason = 'data verification pending'): BeneficiaryCommand => ({
    type: 'SuspendBeneficiary',
    data: { beneficiaryId: BENEFICIARY_ID, reason },
    context,
  });

  it('suspends an active beneficiary', () => {
    given([enrolled]).when(suspend()).then([suspended()]);
  });

  it('suspends again after a reinstatement', () => {
    given([enrolled, suspended(), reinstated()])
      .when(suspend('duplicate in DTKS'))
      .then([suspended('duplicate in DTKS')]);
  });

  it('does nothing when the same suspension is retried', () => {
    given([enrolled, suspended()]).when(suspend()).thenNothingHappens();
  });

  it('refuses a suspension for another reason while suspended (BENEFICIARY_NOT_ACTIVE)', () => {
    given([enrolled, suspended()])
      .when(suspend('another reason'))
      .thenThrows({ code: 'BENEFICIARY_NOT_ACTIVE', kind: 'rule' });
  });

  it('refuses once exited (BENEFICIARY_EXITED)', () => {
    given([enrolled, exited()]).when(suspend()).thenThrows({ code: 'BENEFICIARY_EXITED', kind: 'rule' });
  });

  it('refuses a beneficiary who is not enrolled (BENEFICIARY_NOT_FOUND)', () => {
    given([]).when(suspend()).thenThrows({ code: 'BENEFICIARY_NOT_FOUND', kind: 'not-found' });
  });

  it('refuses a blank reason', () => {
    given([enrolled]).when(suspend('  ')).thenThrows({ code: 'INVALID_REASON', kind: 'invalid', field: 'reason' });
  });
});

describe('ReinstateBeneficiary', () => {
  const reinstate = (reason = 'data verified'): BeneficiaryCommand => ({
    type: 'ReinstateBeneficiary',
    data: { beneficiaryId: BENEFICIARY_ID, reason },
    context,
  });

  it('reinstates a suspended beneficiary', () => {
    given([enrolled, suspended()]).when(reinstate()).then([reinstated()]);
  });

  it('does nothing when the same reinstatement is retried', () => {
    given([enrolled, suspended(), reinstated()]).when(reinstate()).thenNothingHappens();
  });

  it('refuses an active beneficiary who was never suspended (BENEFICIARY_NOT_SUSPENDED)', () => {
    given([enrolled]).when(reinstate()).thenThrows({ code: 'BENEFICIARY_NOT_SUSPENDED', kind: 'rule' });
  });

  it('refuses a second reinstatement for another reason (BENEFICIARY_NOT_SUSPENDED)', () => {
    given([enrolled, suspended(), reinstated()])
      .when(reinstate('appeal granted'))
      .thenThrows({ code: 'BENEFICIARY_NOT_SUSPENDED', kind: 'rule' });
  });

  it('refuses once exited (BENEFICIARY_EXITED)', () => {
    given([enrolled, suspended(), exited()]).when(reinstate()).thenThrows({ code: 'BENEFICIARY_EXITED', kind: 'rule' });
  });

  it('refuses a beneficiary who is not enrolled (BENEFICIARY_NOT_FOUND)', () => {
    given([]).when(reinstate()).thenThrows({ code: 'BENEFICIARY_NOT_FOUND', kind: 'not-found' });
  });
});

describe('ExitBeneficiary', () => {
  const exit = (reason: string, note?: string | null): BeneficiaryCommand => ({
    type: 'ExitBeneficiary',
    data: { beneficiaryId: BENEFICIARY_ID, reason, note },
    context,
  });

  it('exits an active beneficiary with a trimmed note', () => {
    given([enrolled])
      .when(exit('moved', '  moved to Merauke '))
      .then([exited('moved', 'moved to Merauke')]);
  });

  it('exits a suspended beneficiary', () => {
    given([enrolled, suspended()])
      .when(exit('deceased'))
      .then([exited('deceased')]);
  });

  it.each([undefined, null, '', '   '])('records no note when the note is %p', (note) => {
    given([enrolled])
      .when(exit('graduated', note))
      .then([exited('graduated')]);
  });

  it('does nothing when the same exit is retried', () => {
    given([enrolled, exited('moved', 'moved to Merauke')])
      .when(exit('moved', 'moved to Merauke'))
      .thenNothingHappens();
  });

  it('refuses a second, different exit: the exit is final (BENEFICIARY_EXITED)', () => {
    given([enrolled, exited('moved')])
      .when(exit('deceased'))
      .thenThrows({ code: 'BENEFICIARY_EXITED', kind: 'rule' });
    given([enrolled, exited('moved')])
      .when(exit('moved', 'to Merauke'))
      .thenThrows({ code: 'BENEFICIARY_EXITED', kind: 'rule' });
  });

  it.each(['died', 'Graduated', ''])('refuses exit reason %p (INVALID_EXIT_REASON)', (reason) => {
    given([enrolled]).when(exit(reason)).thenThrows({ code: 'INVALID_EXIT_REASON', kind: 'invalid', field: 'reason' });
  });

  it('refuses a note over 500 characters', () => {
    given([enrolled])
      .when(exit('moved', 'x'.repeat(501)))
      .thenThrows({ code: 'INVALID_NOTE', kind: 'invalid', field: 'note' });
  });

  it('refuses a beneficiary who is not enrolled (BENEFICIARY_NOT_FOUND)', () => {
    given([]).when(exit('moved')).thenThrows({ code: 'BENEFICIARY_NOT_FOUND', kind: 'not-found' });
  });
});

describe('beneficiary state', () => {
  const stateAfter = (events: Parameters<typeof given>[0]) =>
    events.reduce(beneficiaryDecider.evolve, beneficiaryDecider.initialState);

  it('is payable only while active', () => {
    expect(isPayable(stateAfter([]))).toBe(false);
    expect(isPayable(stateAfter([enrolled]))).toBe(true);
    expect(isPayable(stateAfter([enrolled, suspended()]))).toBe(false);
    expect(isPayable(stateAfter([enrolled, suspended(), reinstated()]))).toBe(true);
    expect(isPayable(stateAfter([enrolled, exited()]))).toBe(false);
  });

  it('fails loudly when a stream does not start with BeneficiaryEnrolled', () => {
    expect(() => stateAfter([suspended()])).toThrow('BeneficiarySuspended before BeneficiaryEnrolled');
  });

  it("fails loudly when a command is decided on another beneficiary's stream", () => {
    const command: BeneficiaryCommand = {
      type: 'SuspendBeneficiary',
      data: { beneficiaryId: 'someone-else', reason: 'x' },
      context,
    };
    expect(() => beneficiaryDecider.decide(command, stateAfter([enrolled]))).toThrow(
      expect.not.objectContaining({ name: 'DomainError' }),
    );
  });
});
