import { DomainError } from './domain-error';
import { assertPlainText, plainTextRefusal, unsafeCharacterIn } from './plain-text';
import { parseText } from './text';

describe('plain text', () => {
  it.each([
    'SITI AMINAH',
    "Yohana Wenda-O'Neil",
    'Ni Luh Putu Ayu Ékawati',
    'محمد عبد الله',
    'Nguyễn Thị Hằng',
    '田中 花子',
    'a\u00A0non-breaking space',
    'an emoji 😀 (a surrogate pair, whole)',
  ])('accepts %p', (text) => {
    expect(unsafeCharacterIn(text)).toBeUndefined();
  });

  it.each([
    ['U+0000 NULL', '\u0000', 'control character'],
    ['a tab', '\t', 'control character'],
    ['a line feed', '\n', 'control character'],
    ['a carriage return', '\r', 'control character'],
    ['DEL', '\u007F', 'control character'],
    ['a C1 control (NEL)', '\u0085', 'control character'],
    ['U+061C ARABIC LETTER MARK', '\u061C', 'bidirectional control'],
    ['U+200E LEFT-TO-RIGHT MARK', '\u200E', 'bidirectional control'],
    ['U+200F RIGHT-TO-LEFT MARK', '\u200F', 'bidirectional control'],
    ...['\u202A', '\u202B', '\u202C', '\u202D', '\u202E'].map((character) => [
      `U+${character.charCodeAt(0).toString(16)} (embedding/override)`,
      character,
      'bidirectional control',
    ]),
    ...['\u2066', '\u2067', '\u2068', '\u2069'].map((character) => [
      `U+${character.charCodeAt(0).toString(16)} (isolate)`,
      character,
      'bidirectional control',
    ]),
    ['U+200B ZERO WIDTH SPACE', '\u200B', 'invisible format character'],
    ['U+200C ZERO WIDTH NON-JOINER', '\u200C', 'invisible format character'],
    ['U+200D ZERO WIDTH JOINER', '\u200D', 'invisible format character'],
    ['U+2060 WORD JOINER', '\u2060', 'invisible format character'],
    ['U+FEFF ZERO WIDTH NO-BREAK SPACE', '\uFEFF', 'invisible format character'],
    ['U+00AD SOFT HYPHEN', '\u00AD', 'invisible format character'],
    ['a tag character', '\u{E0041}', 'invisible format character'],
    ['U+2028 LINE SEPARATOR', '\u2028', 'line separator'],
    ['U+2029 PARAGRAPH SEPARATOR', '\u2029', 'line separator'],
    ['U+FFFF', '\uFFFF', 'non-character'],
    ['a lone high surrogate', '\uD800', 'lone surrogate'],
    ['a lone low surrogate', '\uDC00', 'lone surrogate'],
  ] as Array<[string, string, string]>)('refuses %s, wherever it is', (_, character, kind) => {
    for (const text of [`${character}SITI`, `SITI ${character}AMINAH`, `SITI${character}`]) {
      expect(unsafeCharacterIn(text)).toMatchObject({ codePoint: character.codePointAt(0), kind });
    }
  });

  it('names the character and its place in characters, never the text', () => {
    const reason = plainTextRefusal('😀 SITI\u202EHANIMA', 'name');
    expect(reason).toBe('name must not contain U+202E RIGHT-TO-LEFT OVERRIDE (a bidirectional control) at character 7');
    expect(reason).not.toMatch(/SITI|HANIMA/);
  });

  it('normalises nothing: the text comes back as it was, or is refused', () => {
    expect(assertPlainText('  Siti  ', 'name', 'INVALID_NAME')).toBe('  Siti  ');
    expect(() => assertPlainText('Siti\u200B', 'name', 'INVALID_NAME')).toThrow(
      expect.objectContaining({ kind: 'invalid', code: 'INVALID_NAME', field: 'name' }) as DomainError,
    );
  });

  it('is the rule parseText applies, a U+FEFF that trimming would drop included', () => {
    for (const value of ['SITI\u202EAMINAH', '\uFEFFSITI', 'SITI\u2028', 'SITI\u200D']) {
      expect(() => parseText(value, 'name', 'INVALID_NAME', 100)).toThrow(/must not contain U\+/);
    }
    // Spaces, tabs and line breaks around the text are still trimmed, as before.
    expect(parseText(' \tSITI AMINAH\r\n', 'name', 'INVALID_NAME', 100)).toBe('SITI AMINAH');
  });
});
