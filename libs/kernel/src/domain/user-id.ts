import { invalid } from './domain-error';

export const MAX_USER_ID_LENGTH = 128;

/**
 * The one spelling of a user id: lower-case ASCII letters, digits and `. _ @ -`, starting with a
 * letter or digit, 1 to 128 characters. ASCII only, because an id is what four eyes compares and
 * what an auditor reads: a Cyrillic "о" in "fо-maker" looks like the maker to a person and is
 * someone else to the computer.
 */
export const USER_ID_PATTERN = /^[a-z0-9][a-z0-9._@-]{0,127}$/;

/**
 * Every entry of a user id (token issue, token verification, any file or command that names an
 * actor) passes it through here, so `FO-MAKER`, ` fo-maker ` and `fo-maker` are one person
 * everywhere after the edge: in events, in the audit trail and in every four-eyes comparison.
 */
export function canonicalUserId(raw: unknown, field = 'userId'): string {
  const candidate = typeof raw === 'string' ? foldUserId(raw) : '';
  if (!USER_ID_PATTERN.test(candidate)) {
    throw invalid(
      'INVALID_USER_ID',
      `${field} must be 1 to ${MAX_USER_ID_LENGTH} of a-z 0-9 . _ @ -, starting with a letter or digit ` +
        '(case and surrounding spaces are ignored)',
      field,
    );
  }
  return candidate;
}

/**
 * Whether two recorded ids name the same person. Ids are canonical from the edge on, but events
 * written before they were may hold `FO-MAKER` or ` fo-maker `; comparing by the same folding as
 * `canonicalUserId` (without its pattern check, so an old odd id never blocks a decision) keeps
 * such an id from passing four eyes against its lower-case twin.
 */
export function sameUserId(left: string, right: string): boolean {
  return foldUserId(left) === foldUserId(right);
}

/**
 * Trims and lower-cases ASCII letters only. `toLowerCase` would also map some non-ASCII letters
 * to ASCII ones (the Kelvin sign K to k), letting a look-alike pass the pattern as someone else.
 */
function foldUserId(raw: string): string {
  return raw.trim().replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}
