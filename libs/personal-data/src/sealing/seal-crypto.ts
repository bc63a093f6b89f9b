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

const ENCRYPTION_LABEL = `${SEALED_FORMAT} encryption`;

/** The key that opens one kind of one subject's commitments; safe to hand over (it reveals no value). */
export function commitmentKeyOf(dataKey: Buffer, kind: PersonalDataKind): Buffer {
  return derive(dataKey, `${SEALED_FORMAT} commitment ${kind}`);
}

/**
 * One subject's data key with the keys derived from it, each derived once: a field sealed or
 * opened with them costs one HMAC and one AES-GCM instead of three HMACs and one AES-GCM, which
 * matters to readers that open a subject's fields thousands of times. Held only as long as the
 * data key itself is (the vault's key cache); dropping it drops them all.
 */
export class SubjectKeys {
  readonly encryptionKey: Buffer;
  private readonly commitmentKeys = new Map<PersonalDataKind, Buffer>();

  constructor(private readonly dataKey: Buffer) {
    this.encryptionKey = derive(dataKey, ENCRYPTION_LABEL);
  }

  /** `commitmentKeyOf(dataKey, kind)`, derived on first use; at most one per kind. */
  commitmentKey(kind: PersonalDataKind): Buffer {
    let key = this.commitmentKeys.get(kind);
    if (key === undefined) {
      key = commitmentKeyOf(this.dataKey, kind);
      this.commitmentKeys.set(kind, key);
    }
    return key;
  }
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

function keysOf(key: Buffer | SubjectKeys): SubjectKeys {
  return key instanceof SubjectKeys ? key : new SubjectKeys(key);
}

/** Seals with a subject's data key, or with its SubjectKeys (the same bytes, derived once). */
export function seal(key: Buffer | SubjectKeys, subject: string, kind: PersonalDataKind, value: string): SealedField {
  const keys = keysOf(key);
  const commitment = commitmentOf(keys.commitmentKey(kind), value);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, keys.encryptionKey, iv);
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

/** Opens with a subject's data key, or with its SubjectKeys. */
export function open(key: Buffer | SubjectKeys, field: SealedField): string {
  const keys = keysOf(key);
  const packed = Buffer.from(field.ciphertext, 'base64url');
  if (packed.length < IV_BYTES + TAG_BYTES) throw new SealedFieldTamperedError(field.subject);
  const decipher = createDecipheriv(CIPHER, keys.encryptionKey, packed.subarray(0, IV_BYTES));
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
  if (!opensCommitment(field.commitment, keys.commitmentKey(field.kind), value)) {
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
 * Keyed search keys for values looked up across subjects (a NIK, a KK): read models store them
 * instead of the values. Derived from the master key, so they never leave the service; the
 * HMAC key of each kind is derived once.
 */
export class SearchKeys {
  private readonly keys = new Map<PersonalDataKind, Buffer>();

  constructor(private readonly masterKey: Buffer) {}

  /** base64url(HMAC-SHA256(HMAC-SHA256(master key, label of the kind), UTF-8 value)). */
  of(kind: PersonalDataKind, value: string): string {
    let key = this.keys.get(kind);
    if (key === undefined) {
      key = derive(this.masterKey, `${SEALED_FORMAT} search ${kind}`);
      this.keys.set(kind, key);
    }
    return createHmac('sha256', key).update(value, 'utf8').digest('base64url');
  }
}
