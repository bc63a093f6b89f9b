import { canonicalize, CanonicalizationError } from './jcs';

/** RFC 8785 Appendix B: IEEE-754 values and their required serialization. */
const APPENDIX_B: ReadonlyArray<[string, string]> = [
  ['0000000000000000', '0'],
  ['8000000000000000', '0'],
  ['0000000000000001', '5e-324'],
  ['8000000000000001', '-5e-324'],
  ['7fefffffffffffff', '1.7976931348623157e+308'],
  ['ffefffffffffffff', '-1.7976931348623157e+308'],
  ['4340000000000000', '9007199254740992'],
  ['c340000000000000', '-9007199254740992'],
  ['4430000000000000', '295147905179352830000'],
  ['44b52d02c7e14af5', '9.999999999999997e+22'],
  ['44b52d02c7e14af6', '1e+23'],
  ['44b52d02c7e14af7', '1.0000000000000001e+23'],
  ['444b1ae4d6e2ef4e', '999999999999999700000'],
  ['444b1ae4d6e2ef4f', '999999999999999900000'],
  ['444b1ae4d6e2ef50', '1e+21'],
  ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
  ['3eb0c6f7a0b5ed8d', '0.000001'],
  ['41b3de4355555553', '333333333.3333332'],
  ['41b3de4355555554', '333333333.33333325'],
  ['41b3de4355555555', '333333333.3333333'],
  ['41b3de4355555556', '333333333.3333334'],
  ['41b3de4355555557', '333333333.33333343'],
  ['becbf647612f3696', '-0.0000033333333333333333'],
  ['43143ff3c1cb0959', '1424953923781206.2'],
];

describe('RFC 8785 canonical JSON', () => {
  it.each(APPENDIX_B)('writes the double %s as %s (Appendix B)', (bits, expected) => {
    const value = Buffer.from(bits, 'hex').readDoubleBE(0);
    expect(canonicalize(value)).toBe(expected);
  });

  it.each([NaN, Infinity, -Infinity])('refuses %s, which JSON cannot hold', (value) => {
    expect(() => canonicalize({ a: value })).toThrow(CanonicalizationError);
  });

  it('sorts keys by UTF-16 code units, not by code points or locale', () => {
    // U+1F600 is D83D DE00 in UTF-16, which sorts before U+FB33 although its code point is larger.
    expect(canonicalize({ '\ufb33': 1, '\u{1f600}': 2, a: 3, B: 4 })).toBe('{"B":4,"a":3,"\u{1f600}":2,"\ufb33":1}');
  });

  it('escapes only what RFC 8785 escapes', () => {
    expect(canonicalize('\u0000\u001f\b\t\n\f\r"\\/\u007f\u2028€')).toBe(
      '"\\u0000\\u001f\\b\\t\\n\\f\\r\\"\\\\/\u007f\u2028€"',
    );
  });

  it('refuses lone surrogates in values and keys', () => {
    expect(() => canonicalize({ name: 'a\ud800b' })).toThrow(/lone surrogate/);
    expect(() => canonicalize({ ['\udc00']: 1 })).toThrow(/lone surrogate/);
    expect(canonicalize('\ud83d\ude02')).toBe('"😂"');
  });

  it('refuses what is not JSON data, and names where it is', () => {
    expect(() => canonicalize({ a: [1, { b: undefined }] })).toThrow('$.a[1].b: a undefined is not JSON');
    expect(() => canonicalize({ when: new Date(0) })).toThrow(/not plain JSON/);
    expect(() => canonicalize(10n)).toThrow(CanonicalizationError);
  });

  it('with integersOnly, refuses floats and integers past 2^53', () => {
    expect(canonicalize({ attempt: 2, count: -5 }, { integersOnly: true })).toBe('{"attempt":2,"count":-5}');
    expect(() => canonicalize({ amount: 600000.5 }, { integersOnly: true })).toThrow(
      '$.amount: 600000.5 is not an integer',
    );
    expect(() => canonicalize({ nik: 2 ** 53 + 2 }, { integersOnly: true })).toThrow(CanonicalizationError);
  });
});
