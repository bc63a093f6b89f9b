import type { CommandContext } from '@salur/kernel';
import type { BankAccount } from './bank-account';
import type {
  BeneficiaryEnrolled,
  BeneficiaryExited,
  BeneficiaryReinstated,
  BeneficiarySuspended,
} from './beneficiary.events';

/** Shared by the beneficiary specs: one officer, one instant, one beneficiary in Jayapura. */
export const BENEFICIARY_ID = '6f1c2b7e-4d3a-5e8f-9a10-2b3c4d5e6f70';
export const PROGRAMME_ID = 'BANTU-UMAK-2026';
export const OFFICER = 'enrolment-officer-3';
export const NOW = '2026-11-26T03:00:00.000Z';
export const context: CommandContext = { actor: { userId: OFFICER, role: 'enrolment-officer' }, now: NOW };

/** Papua, Kota Jayapura, a woman born 12 March 1985: valid, and above 2^53 as a number. */
export const PAPUA_NIK = '9171015203850003';
export const PAPUA_KK = '9171010102100007';
export const JAYAPURA_REGION = '91.71.01.1001';

export const BRI_ACCOUNT: BankAccount = {
  bankCode: '002',
  accountNumber: '001901000378301',
  accountHolderName: 'Yohana Wenda',
};
export const MANDIRI_ACCOUNT: BankAccount = {
  bankCode: '008',
  accountNumber: '1540012345678',
  accountHolderName: 'Yohana Wenda',
};

export const fact = { beneficiaryId: BENEFICIARY_ID, programmeId: PROGRAMME_ID, at: NOW };

export const enrolled: BeneficiaryEnrolled = {
  type: 'BeneficiaryEnrolled',
  data: {
    ...fact,
    nik: PAPUA_NIK,
    kk: PAPUA_KK,
    name: 'Yohana Wenda',
    regionCode: JAYAPURA_REGION,
    bankAccount: BRI_ACCOUNT,
    enrolledBy: OFFICER,
  },
};

export function suspended(reason = 'data verification pending'): BeneficiarySuspended {
  return { type: 'BeneficiarySuspended', data: { ...fact, reason, suspendedBy: OFFICER } };
}

export function reinstated(reason = 'data verified'): BeneficiaryReinstated {
  return { type: 'BeneficiaryReinstated', data: { ...fact, reason, reinstatedBy: OFFICER } };
}

export function exited(reason: 'graduated' | 'deceased' | 'moved' = 'moved', note?: string): BeneficiaryExited {
  return {
    type: 'BeneficiaryExited',
    data: { ...fact, reason, ...(note === undefined ? {} : { note }), exitedBy: OFFICER },
  };
}
