import type { PersonalDataFields, PersonalDataOfEvent } from '@salur/kernel';
import { BENEFICIARY_STREAM_PREFIX } from './beneficiary.state';

const OF_THE_BENEFICIARY = { field: 'beneficiaryId', prefix: BENEFICIARY_STREAM_PREFIX } as const;

function officerText(path: string): PersonalDataOfEvent {
  return { subject: OF_THE_BENEFICIARY, fields: [{ path, kind: 'free-text' }] };
}

/** What the beneficiary events say about a person: sealed with the beneficiary's own key. */
export const BENEFICIARY_PERSONAL_DATA: PersonalDataFields = {
  BeneficiaryEnrolled: {
    subject: OF_THE_BENEFICIARY,
    fields: [
      { path: 'nik', kind: 'nik' },
      { path: 'kk', kind: 'kk' },
      { path: 'name', kind: 'name' },
      { path: 'bankAccount.accountNumber', kind: 'account-number' },
      { path: 'bankAccount.accountHolderName', kind: 'account-holder-name' },
    ],
  },
  BankAccountChanged: {
    subject: OF_THE_BENEFICIARY,
    fields: [
      { path: 'previousBankAccount.accountNumber', kind: 'account-number' },
      { path: 'previousBankAccount.accountHolderName', kind: 'account-holder-name' },
      { path: 'bankAccount.accountNumber', kind: 'account-number' },
      { path: 'bankAccount.accountHolderName', kind: 'account-holder-name' },
      { path: 'reason', kind: 'free-text' },
    ],
  },
  BeneficiarySuspended: officerText('reason'),
  BeneficiaryReinstated: officerText('reason'),
  BeneficiaryExited: officerText('note'),
  // Why the admin asks for erasure may tell about the person: erased with the rest of their data.
  BeneficiaryErasureRequested: officerText('reason'),
};
