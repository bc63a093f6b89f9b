import { invalid } from './domain-error';

/**
 * What may not appear in text that reaches a bank file, a CSV or report export, or an officer's
 * screen (a name, a reason, a note):
 * - control characters (C0, DEL, C1), tab and line breaks included: names and reasons are one
 *   line, and so are notes, because every export writes each of them as one cell of one row
 *   (a line break would start a new row for a naive reader, and the domain's parseText refuses
 *   it anyway);
 * - format characters (Unicode Cf): the bidirectional controls (U+061C, U+200E, U+200F,
 *   U+202A–U+202E, U+2066–U+2069), which reorder what a reader sees ("Trojan Source"), and the
 *   invisible ones (U+200B–U+200D, U+2060, U+FEFF, soft hyphen, tag characters), which make two
 *   names that look alike compare different;
 * - the line and paragraph separators U+2028 and U+2029, and the non-characters U+FFFE, U+FFFF;
 * - lone surrogates: half a character, which no UTF-8 file can carry.
 * Nothing is removed or replaced: a refused text is refused whole, with the character named.
 */
const UNSAFE_CHARACTER = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\uFFFE\uFFFF]/u;

const BIDIRECTIONAL_CONTROL = /^[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]$/u;

const NAMES: Readonly<Record<number, string>> = {
  0x0000: 'NULL',
  0x0009: 'CHARACTER TABULATION',
  0x000a: 'LINE FEED',
  0x000d: 'CARRIAGE RETURN',
  0x00ad: 'SOFT HYPHEN',
  0x061c: 'ARABIC LETTER MARK',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
};

export type UnsafeCharacterKind =
  | 'control character'
  | 'bidirectional control'
  | 'invisible format character'
  | 'line separator'
  | 'non-character'
  | 'lone surrogate';

export interface UnsafeCharacter {
  readonly codePoint: number;
  /** 1-based, counted in characters (code points), as a person counts them. */
  readonly position: number;
  readonly kind: UnsafeCharacterKind;
}

/** The first character of `text` that plain text may not hold, or undefined when there is none. */
export function unsafeCharacterIn(text: string): UnsafeCharacter | undefined {
  const match = UNSAFE_CHARACTER.exec(text);
  if (match === null) return undefined;
  const character = match[0];
  const codePoint = character.codePointAt(0)!;
  return { codePoint, position: [...text.slice(0, match.index)].length + 1, kind: kindOf(character, codePoint) };
}

/**
 * `U+202E RIGHT-TO-LEFT OVERRIDE (a bidirectional control) at character 6`; never the text
 * itself, which may be personal data.
 */
export function describeUnsafeCharacter({ codePoint, position, kind }: UnsafeCharacter): string {
  const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
  const name = NAMES[codePoint];
  return `U+${hex}${name ? ` ${name}` : ''} (${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}) at character ${position}`;
}

/** Why `text` is refused as the value of `field`, or undefined when it is plain text. */
export function plainTextRefusal(text: string, field: string): string | undefined {
  const found = unsafeCharacterIn(text);
  return found === undefined ? undefined : `${field} must not contain ${describeUnsafeCharacter(found)}`;
}

/** Returns the text unchanged, or throws DomainError (invalid, `code`, `field`) naming the character. */
export function assertPlainText(text: string, field: string, code: string): string {
  const refusal = plainTextRefusal(text, field);
  if (refusal !== undefined) throw invalid(code, refusal, field);
  return text;
}

function kindOf(character: string, codePoint: number): UnsafeCharacterKind {
  if (/\p{Cc}/u.test(character)) return 'control character';
  if (/\p{Cs}/u.test(character)) return 'lone surrogate';
  if (BIDIRECTIONAL_CONTROL.test(character)) return 'bidirectional control';
  if (codePoint === 0x2028 || codePoint === 0x2029) return 'line separator';
  if (codePoint === 0xfffe || codePoint === 0xffff) return 'non-character';
  return 'invisible format character';
}
