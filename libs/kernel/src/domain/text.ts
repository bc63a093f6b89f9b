import { invalid } from './domain-error';

/** Control characters (C0, DEL, C1) never belong in a name or a reason, and break CSV and XML exports. */
const CONTROL_CHARACTER = /\p{Cc}/u;

/**
 * Free text from outside (a name, a reason): trimmed and NFC-normalised, so the same words are
 * always stored as the same string; 1..maxLength characters counted as code points, not UTF-16 units.
 */
export function parseText(value: unknown, field: string, code: string, maxLength: number): string {
  if (typeof value !== 'string') throw invalid(code, `${field} must be a string, not a ${typeof value}`, field);
  const text = value.trim().normalize('NFC');
  const length = [...text].length;
  if (length === 0 || length > maxLength) {
    throw invalid(code, `${field} must be 1 to ${maxLength} characters after trimming, not ${length}`, field);
  }
  if (CONTROL_CHARACTER.test(text)) throw invalid(code, `${field} must not contain control characters`, field);
  return text;
}

/** Ids come from the application (deterministic or UUIDs): letters, digits and . _ : - only. */
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function parseIdentifier(value: unknown, field: string): string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw invalid('INVALID_IDENTIFIER', `${field} must be 1 to 128 letters, digits or . _ : -`, field);
  }
  return value;
}
