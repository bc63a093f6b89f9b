import type { PersonalDataFields } from '@salur/kernel';

/**
 * A result line that did not reconcile names an account the bank saw, which may be nobody we
 * know: it is sealed with the result file's own key. An operator's resolution may name a person.
 */
export const BANK_PERSONAL_DATA: PersonalDataFields = {
  BankResultException: {
    subject: { stream: true },
    fields: [{ path: 'accountNumber', kind: 'account-number' }],
  },
  BankResultExceptionResolved: { subject: { stream: true }, fields: [{ path: 'reason', kind: 'free-text' }] },
};
