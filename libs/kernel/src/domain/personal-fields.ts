/**
 * Which fields of which events carry personal data, and whose it is. Each capability declares its
 * own; the event store's sealing layer (libs/personal-data) encrypts exactly these fields with the
 * data subject's key before anything is stored, so neither the event store nor the Merkle log
 * (whose leaves are the stored bytes) ever holds them in clear, and deleting the subject's key
 * erases them everywhere at once.
 */

/** The kind names the commitment key: opening one kind (say, the account) reveals nothing of another. */
export const PERSONAL_DATA_KINDS = ['nik', 'kk', 'name', 'account-number', 'account-holder-name', 'free-text'] as const;
export type PersonalDataKind = (typeof PERSONAL_DATA_KINDS)[number];

/**
 * A field, by path in the event's data: `bankAccount.accountNumber`; `items[].account.name` for
 * the field of every element of an array. Absent fields and non-string values are left alone
 * (an optional note the officer did not write).
 */
export interface PersonalField {
  readonly path: string;
  readonly kind: PersonalDataKind;
}

/**
 * Whose data it is: the subject's key encrypts it. Subjects are named by stream: a beneficiary's
 * data belongs to `beneficiary-<id>`, a batch's free text to its own stream.
 * - `field`: a field of the same event names the subject (`beneficiaryId`, prefixed);
 * - `streamFirstEvent`: the stream's first event names it (a payment's PaymentScheduled names its
 *   beneficiary; later payment events do not repeat it);
 * - `stream`: the event's own stream is the subject (officers' free text on a batch).
 */
export type PersonalDataSubject =
  | { readonly field: string; readonly prefix: string }
  | { readonly streamFirstEvent: string; readonly prefix: string }
  | { readonly stream: true };

export interface PersonalDataOfEvent {
  readonly subject: PersonalDataSubject;
  readonly fields: readonly PersonalField[];
}

/** By event type. */
export type PersonalDataFields = Readonly<Record<string, PersonalDataOfEvent>>;

/** What an erased subject's fields read as, everywhere: the value is gone for good. */
export const ERASED_VALUE = '[erased]';

/** Merges the capabilities' declarations; an event type declared twice is a bug. */
export function personalDataFields(...declarations: readonly PersonalDataFields[]): PersonalDataFields {
  const merged: Record<string, PersonalDataOfEvent> = {};
  for (const declaration of declarations) {
    for (const [type, spec] of Object.entries(declaration)) {
      if (merged[type] !== undefined) throw new Error(`Personal data of ${type} is declared twice`);
      merged[type] = spec;
    }
  }
  return merged;
}
