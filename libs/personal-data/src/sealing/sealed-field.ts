import { PERSONAL_DATA_KINDS, type PersonalDataKind } from '@salur/kernel';

/** Version of the envelope below; a new scheme gets a new name and both are read. */
export const SEALED_FORMAT = 'salur-pd/1';

/**
 * A personal-data field as the event store holds it, in place of the clear value. Everything in
 * it can be published: `ciphertext` is AES-256-GCM under a key derived from the subject's data
 * key, and `commitment` an HMAC-SHA256 of the value under a key per subject and kind, so without
 * that key even a low-entropy value (a NIK: region, birth date, four digits) cannot be guessed.
 *
 * - `subject`: whose key; a stream name (`beneficiary-<id>`), already a pseudonym.
 * - `commitment`: equal values of one subject and kind give equal commitments, so a proof can
 *   show that the account a payment went to is the one on the beneficiary's record without
 *   showing the account. Whoever is given the value and the kind's commitment key (the
 *   beneficiary, an inspector with the grant) can check that this value is the one committed.
 * - `ciphertext`: base64url of iv (12 bytes) ‖ ciphertext ‖ tag (16 bytes); the envelope's other
 *   fields are its associated data, so no part can be moved to another field or subject.
 */
export interface SealedField {
  readonly sealed: typeof SEALED_FORMAT;
  readonly subject: string;
  readonly kind: PersonalDataKind;
  readonly commitment: string;
  readonly ciphertext: string;
}

const KINDS: ReadonlySet<string> = new Set(PERSONAL_DATA_KINDS);

export function isSealedField(value: unknown): value is SealedField {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const field = value as Record<string, unknown>;
  return (
    field.sealed === SEALED_FORMAT &&
    typeof field.subject === 'string' &&
    typeof field.kind === 'string' &&
    KINDS.has(field.kind) &&
    typeof field.commitment === 'string' &&
    typeof field.ciphertext === 'string'
  );
}
