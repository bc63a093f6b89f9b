import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PersonalDataKind } from '@salur/kernel';
import { SEALED_FORMAT, type SealedField } from './sealed-field';

/*
 * The cryptography of sealed personal data, node:crypto only. One random 256-bit data key per
 * subject; every other key is derived from it with HMAC-SHA256 and a label (key separation), so
 * deleting the data key deletes them all.
 */

export const DATA_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CIPHER = 'aes-256-gcm';

export function newDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}

function derive(key: Buffer, label: string): Buffer {
  return createHmac('sha256', key).update(label, 'utf8').digest();
}

/** The key that opens one kind of one subject's commitments; safe to hand over (it reveals no value). */
export function commitmentKeyOf(dataKey: Buffer, kind: PersonalDataKind): Buffer {
  return derive(dataKey, `${SEALED_FORMAT} commitment ${kind}`);
}

/** base64url(HMAC-SHA256(commitment key, UTF-8 value)). */
export function commitmentOf(commitmentKey: Buffer, value: string): string {
  return createHmac('sha256', commitmentKey).update(value, 'utf8').digest('base64url');
}

/** Whether `value` is the one committed, for whoever holds the kind's commitment key. */
export function opensCommitment(commitment: string, commitmentKey: Buffer, value: string): boolean {
  const expected = Buffer.from(commitmentOf(commitmentKey, value), 'base64url');
  const given = Buffer.from(commitment, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function associatedData(subject: string, kind: PersonalDataKind, commitment: string): Buffer {
  return Buffer.from(`${SEALED_FORMAT}\n${subject}\n${kind}\n${commitment}`, 'utf8');
}

export function seal(dataKey: Buffer, subject: string, kind: PersonalDataKind, value: string): SealedField {
  const commitment = commitmentOf(commitmentKeyOf(dataKey, kind), value);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, derive(dataKey, `${SEALED_FORMAT} encryption`), iv);
  cipher.setAAD(associatedData(subject, kind, commitment));
  const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  const ciphertext = Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
  return { sealed: SEALED_FORMAT, subject, kind, commitment, ciphertext };
}

/** Thrown when a sealed field does not open with its subject's key: it was altered, or the key is wrong. */
export class SealedFieldTamperedError extends Error {
  constructor(readonly subject: string) {
    super(`A sealed field of ${subject} does not open with its key: the stored field or the key was altered`);
    this.name = 'SealedFieldTamperedError';
  }
}

export function open(dataKey: Buffer, field: SealedField): string {
  const packed = Buffer.from(field.ciphertext, 'base64url');
  if (packed.length < IV_BYTES + TAG_BYTES) throw new SealedFieldTamperedError(field.subject);
  const decipher = createDecipheriv(
    CIPHER,
    derive(dataKey, `${SEALED_FORMAT} encryption`),
    packed.subarray(0, IV_BYTES),
  );
  decipher.setAAD(associatedData(field.subject, field.kind, field.commitment));
  decipher.setAuthTag(packed.subarray(packed.length - TAG_BYTES));
  let value: string;
  try {
    value = Buffer.concat([
      decipher.update(packed.subarray(IV_BYTES, packed.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new SealedFieldTamperedError(field.subject);
  }
  // The tag already binds the commitment; checking it again catches a writer's bug, not an attacker.
  if (!opensCommitment(field.commitment, commitmentKeyOf(dataKey, field.kind), value)) {
    throw new SealedFieldTamperedError(field.subject);
  }
  return value;
}

/** A data key as the key store keeps it: encrypted under the master key, bound to its subject. */
export function wrapDataKey(masterKey: Buffer, subject: string, dataKey: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, masterKey, iv);
  cipher.setAAD(Buffer.from(`${SEALED_FORMAT} key\n${subject}`, 'utf8'));
  const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

export function unwrapDataKey(masterKey: Buffer, subject: string, wrapped: string): Buffer {
  const packed = Buffer.from(wrapped, 'base64url');
  const decipher = createDecipheriv(CIPHER, masterKey, packed.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(`${SEALED_FORMAT} key\n${subject}`, 'utf8'));
  decipher.setAuthTag(packed.subarray(packed.length - TAG_BYTES));
  return Buffer.concat([decipher.update(packed.subarray(IV_BYTES, packed.length - TAG_BYTES)), decipher.final()]);
}

/**
 * A keyed search key for a value that is looked up across subjects (a NIK, a KK): read models
 * store it instead of the value. Derived from the master key, so it never leaves the service.
 */
export function searchKeyOf(masterKey: Buffer, kind: PersonalDataKind, value: string): string {
  return createHmac('sha256', derive(masterKey, `${SEALED_FORMAT} search ${kind}`))
    .update(value, 'utf8')
    .digest('base64url');
}
