import { parseText } from '@salur/kernel';

export const PERSON_NAME_MAX_LENGTH = 100;

/** A person's name as printed on the ID card or passbook: trimmed, NFC, 1..100 characters, no control characters. */
export function parsePersonName(value: unknown, field = 'name', code = 'INVALID_NAME'): string {
  return parseText(value, field, code, PERSON_NAME_MAX_LENGTH);
}
