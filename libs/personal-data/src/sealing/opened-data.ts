import { ERASED_VALUE } from '@salur/kernel';
import { open, type SubjectKeys } from './seal-crypto';
import { isSealedField, type SealedField } from './sealed-field';

/*
 * Walking stored data for its sealed fields, and opening them. A subject's key is 'erased' (or
 * undefined: never created) once its data is gone: such a field reads '[erased]'.
 */

export type KeyOfSubject = SubjectKeys | 'erased' | undefined;

/** Bound on the depth of stored data walked (the API bounds bodies at 32 levels). */
const MAX_DEPTH = 64;

/** The subjects of the sealed fields in `value`, once per field, in the order they are walked. */
export function collectSubjects(value: unknown, into: string[], depth = 0): void {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
  if (isSealedField(value)) {
    into.push(value.subject);
    return;
  }
  for (const item of Array.isArray(value) ? value : Object.values(value)) collectSubjects(item, into, depth + 1);
}

/** A copy of `value` with every sealed field replaced by `openField(field)`. */
export function mapSealed(value: unknown, openField: (field: SealedField) => unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (isSealedField(value)) return openField(value);
  if (Array.isArray(value)) return value.map((item) => mapSealed(item, openField, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = mapSealed(item, openField, depth + 1);
  return out;
}

export function openField(key: KeyOfSubject, field: SealedField): string {
  return key === undefined || key === 'erased' ? ERASED_VALUE : open(key, field);
}

/** A sealed field of an event being read, and its clear value, decrypted on first request. */
export interface FieldOnRead {
  readonly field: SealedField;
  /** The subject's key is gone: the value is '[erased]', known without decrypting. */
  readonly erased: boolean;
  readonly value: () => string;
}

export interface DataOnRead {
  readonly data: unknown;
  /** Every sealed field, in the order of the data (so of the fields the opened data shows). */
  readonly fields: readonly FieldOnRead[];
}

/**
 * A copy of `stored` in which each sealed field is its clear value, decrypted when the field is
 * first read and then kept. Most readers of an event never read its personal data: the
 * projections keep the stored form (`storedEventOf`) or read ids and amounts, the log scans and
 * workflows read ids; opening every field for each of them was most of what sealing cost a
 * ledger. A field of an erased subject is '[erased]' at once. The key is the one current when the
 * event was read, as if the field had been opened then; a field that does not open (altered)
 * throws SealedFieldTamperedError when it is read.
 */
export function openOnRead(stored: unknown, keyOf: (subject: string) => KeyOfSubject): DataOnRead {
  const fields: FieldOnRead[] = [];
  const onRead = (field: SealedField): FieldOnRead => {
    const key = keyOf(field.subject);
    const read: FieldOnRead =
      key === undefined || key === 'erased'
        ? { field, erased: true, value: () => ERASED_VALUE }
        : { field, erased: false, value: once(() => open(key, field)) };
    fields.push(read);
    return read;
  };
  return { data: copyOnRead(stored, onRead, 0), fields };
}

/** `compute` on the first call, its value on later ones; a call that throws is not remembered. */
function once(compute: () => string): () => string {
  let value: string | undefined;
  return () => (value ??= compute());
}

function copyOnRead(value: unknown, onRead: (field: SealedField) => FieldOnRead, depth: number): unknown {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (isSealedField(value)) return onRead(value).value();
  const out: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
  for (const [key, item] of Object.entries(value)) {
    if (isSealedField(item)) {
      const read = onRead(item);
      // An erased field is known now: a plain value. Others are opened by their first reader.
      if (read.erased) (out as Record<string, unknown>)[key] = read.value();
      else Object.defineProperty(out, key, { enumerable: true, configurable: true, get: read.value });
    } else {
      (out as Record<string, unknown>)[key] = copyOnRead(item, onRead, depth + 1);
    }
  }
  return out;
}
