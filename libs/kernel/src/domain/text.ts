import { invalid } from './domain-error';
import { plainTextRefusal } from './plain-text';

/**
 * Free text from outside (a name, a reason): trimmed and NFC-normalised, so the same words are
 * always stored as the same string; 1..maxLength characters counted as code points, not UTF-16 units.
 * It must be plain text (plain-text.ts): no control, bidirectional or invisible characters, which
 * break CSV and XML exports or hide what a bank or an officer reads. Spaces, tabs and line breaks
 * around it are trimmed (a spreadsheet leaves them); anything else invisible is refused wherever
 * it is, a U+FEFF that String.trim would silently drop included.
 */
export function parseText(value: unknown, field: string, code: string, maxLength: number): string {
  if (typeof value !== 'string') throw invalid(code, `${field} must be a string, not a ${typeof value}`, field);
  const text = value.trim().normalize('NFC');
  const length = [...text].length;
  if (length === 0 || length > maxLength) {
    throw invalid(code, `${field} must be 1 to ${maxLength} characters after trimming, not ${length}`, field);
  }
  const refusal = plainTextRefusal(withoutEdgeSpace(value), field);
  if (refusal !== undefined) throw invalid(code, refusal, field);
  return text;
}

/** Spaces, tabs and line breaks trimmed from both ends, by index: a regex would be quadratic on a run of spaces. */
function withoutEdgeSpace(value: string): string {
  const space = (index: number) => ' \t\r\n'.includes(value[index]);
  let start = 0;
  let end = value.length;
  while (start < end && space(start)) start++;
  while (end > start && space(end - 1)) end--;
  return value.slice(start, end);
}

/** Ids come from the application (deterministic or UUIDs): letters, digits and . _ : - only. */
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function parseIdentifier(value: unknown, field: string): string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw invalid('INVALID_IDENTIFIER', `${field} must be 1 to 128 letters, digits or . _ : -`, field);
  }
  return value;
}
