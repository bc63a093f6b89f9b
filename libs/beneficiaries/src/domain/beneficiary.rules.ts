import { invalid } from '@salur/kernel';
import { EXIT_REASONS, type ExitReason } from './beneficiary.commands';
import { parseText } from '@salur/kernel';

export const REASON_MAX_LENGTH = 500;

export function parseReason(value: unknown): string {
  return parseText(value, 'reason', 'INVALID_REASON', REASON_MAX_LENGTH);
}

export function parseExitReason(value: unknown): ExitReason {
  const reason = EXIT_REASONS.find((candidate) => candidate === value);
  if (reason === undefined) {
    throw invalid('INVALID_EXIT_REASON', `reason must be one of ${EXIT_REASONS.join(', ')}`, 'reason');
  }
  return reason;
}

/** The note is optional; a blank one (as an empty form field sends) counts as no note. */
export function parseOptionalNote(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value.trim() === '') return undefined;
  return parseText(value, 'note', 'INVALID_NOTE', REASON_MAX_LENGTH);
}
