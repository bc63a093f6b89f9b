import type { PersonalDataFields, PersonalDataOfEvent } from '@salur/kernel';

/** An officer's reason may name a person; it is sealed with the batch's own key. */
function officerText(): PersonalDataOfEvent {
  return { subject: { stream: true }, fields: [{ path: 'reason', kind: 'free-text' }] };
}

/** Batches carry no accounts (the claims, PaymentBatched, do): only the officers' words. */
export const BATCH_PERSONAL_DATA: PersonalDataFields = {
  BatchChanged: officerText(),
  BatchRejected: officerText(),
  BatchCancelled: officerText(),
};
