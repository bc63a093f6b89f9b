import type { PersonalDataFields } from '@salur/kernel';

/** A programme officer's reason for a ceiling change may name a person: sealed with the programme's key. */
export const PROGRAMME_PERSONAL_DATA: PersonalDataFields = {
  BudgetCeilingRaised: { subject: { stream: true }, fields: [{ path: 'reason', kind: 'free-text' }] },
};
