import fc from 'fast-check';
import { PROVINCE_CODES } from './administrative-region';
import { parseKk, parseNik } from './nik';

const NOW = '2026-11-26T03:00:00.000Z';

describe('parseNik', () => {
  it('parses a Papua NIK above 2^53 and keeps it as the exact string', () => {
    const nik = '9171015203850003';
    expect(BigInt(nik) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(String(Number(nik))).toBe('9171015203850004'); // why it must never become a number
    expect(parseNik(nik, NOW)).toEqual({
      nik: '9171015203850003',
      provinceCode: '91',
      regencyCode: '71',
      districtCode: '01',
      birthDate: '1985-03-12',
      sex: 'F',
      serial: '0003',
    });
  });

  it('reads a day of 01..31 as a man and resolves 45 to 1945, not 2045', () => {
    expect(parseNik('3273051708450001', NOW)).toMatchObject({ birthDate: '1945-08-17', sex: 'M' });
  });

  it('resolves the year to the latest century that is not in the future', () => {
    expect(parseNik('3273050101260001', NOW).birthDate).toBe('2026-01-01');
    expect(parseNik('3273052611260001', NOW).birthDate).toBe('2026-11-26');
    expect(parseNik('3273052711260001', NOW).birthDate).toBe('1926-11-27');
  });

  it('counts today as the date in Papua (UTC+9): born today in Jayapura is not a century ago', () => {
    const lateEveningUtc = '2026-11-26T16:00:00.000Z'; // 27 Nov, 01:00 in Jayapura
    expect(parseNik('9171016711260001', lateEveningUtc)).toMatchObject({ birthDate: '2026-11-27', sex: 'F' });
  });

  it('accepts 29 February only in a leap year, after resolving the century', () => {
    expect(parseNik('3273056902000001', NOW)).toMatchObject({ birthDate: '2000-02-29', sex: 'F' });
    expect(parseNik('3273052902840001', NOW).birthDate).toBe('1984-02-29');
    expect(() => parseNik('3273052902010001', NOW)).toThrow('birth date 2001-02-29 is not a calendar date');
    // Seen on 31 Dec 1999, "00" is 1900, which was not a leap year.
    expect(() => parseNik('3273052902000001', '1999-12-31T00:00:00.000Z')).toThrow('1900-02-29');
  });

  it.each([
    ['province 20, between provinces', '2071015203850003', 'province code'],
    ['province 97, above the last', '9771015203850003', 'province code'],
    ['province 10', '1071015203850003', 'province code'],
    ['province 00', '0071015203850003', 'province code'],
    ['regency 00', '9100015203850003', 'regency/city code 00'],
    ['district 00', '9171005203850003', 'district code 00'],
    ['day 00', '9171010003850003', 'birth day 00'],
    ['day 32', '9171013203850003', 'birth day 32'],
    ['day 40', '9171014003850003', 'birth day 40'],
    ['day 72', '9171017203850003', 'birth day 72'],
    ['month 00', '9171015200850003', 'birth month 00'],
    ['month 13', '9171015213850003', 'birth month 13'],
    ['31 April', '9171013104850003', '1985-04-31'],
    ['31 April for a woman', '9171017104850003', '1985-04-31'],
    ['30 February', '9171013002850003', '1985-02-30'],
    ['serial 0000', '9171015203850000', 'serial 0000'],
    ['15 digits', '917101520385000', 'exactly 16 digits'],
    ['17 digits', '91710152038500031', 'exactly 16 digits'],
    ['a letter', '917101520385000X', 'exactly 16 digits'],
    ['full-width digits', '９１７１０１５２０３８５０００３', 'exactly 16 digits'],
    ['spaces around it', ' 9171015203850003', 'exactly 16 digits'],
  ])('refuses %s, saying which part is wrong', (_, nik, reason) => {
    expect(() => parseNik(nik, NOW)).toThrow(expect.objectContaining({ code: 'INVALID_NIK', field: 'nik' }));
    expect(() => parseNik(nik, NOW)).toThrow(reason);
  });

  it('refuses a number, which may already have lost its last digit', () => {
    expect(() => parseNik(Number('9171015203850003'), NOW)).toThrow(
      expect.objectContaining({ code: 'INVALID_NIK', kind: 'invalid', message: expect.stringContaining('2^53') }),
    );
  });

  it('never puts the NIK itself in the message (it ends up in logs)', () => {
    expect(() => parseNik('9171013203850003', NOW)).toThrow(
      expect.not.objectContaining({ message: /9171013203850003/ }),
    );
  });
});

describe('parseKk', () => {
  it('parses a Papua KK above 2^53 as a string', () => {
    expect(parseKk('9171010102100007')).toEqual({
      kk: '9171010102100007',
      provinceCode: '91',
      regencyCode: '71',
      districtCode: '01',
    });
  });

  it.each([
    ['province 99', '9971010102100007'],
    ['regency 00', '9100010102100007'],
    ['district 00', '9171000102100007'],
    ['15 digits', '917101010210000'],
    ['a number', Number('9171010102100007')],
    ['missing', undefined],
  ])('refuses %s (INVALID_KK)', (_, kk) => {
    expect(() => parseKk(kk)).toThrow(expect.objectContaining({ code: 'INVALID_KK', kind: 'invalid', field: 'kk' }));
  });
});

/** Properties over generated NIKs; birth dates within the 100 years before NOW resolve unambiguously. */
describe('NIK properties', () => {
  const twoDigits = (value: number) => String(value).padStart(2, '0');
  const region = fc.record({
    province: fc.constantFrom(...[...PROVINCE_CODES].map(Number)),
    regency: fc.integer({ min: 1, max: 99 }),
    district: fc.integer({ min: 1, max: 99 }),
  });
  const serial = fc.integer({ min: 1, max: 9999 }).map((value) => String(value).padStart(4, '0'));
  const sex = fc.constantFrom<'F' | 'M'>('F', 'M');
  const birthDate = fc.date({
    min: new Date('1926-11-27T00:00:00.000Z'),
    max: new Date('2026-11-26T00:00:00.000Z'),
    noInvalidDate: true,
  });
  const prefixOf = ({ province, regency, district }: { province: number; regency: number; district: number }) =>
    `${twoDigits(province)}${twoDigits(regency)}${twoDigits(district)}`;

  it('parses every valid NIK back to its parts', () => {
    fc.assert(
      fc.property(region, birthDate, sex, serial, (place, date, sexOf, serialOf) => {
        const day = date.getUTCDate() + (sexOf === 'F' ? 40 : 0);
        const ddmmyy = `${twoDigits(day)}${twoDigits(date.getUTCMonth() + 1)}${twoDigits(date.getUTCFullYear() % 100)}`;
        const nik = `${prefixOf(place)}${ddmmyy}${serialOf}`;
        expect(parseNik(nik, NOW)).toEqual({
          nik,
          provinceCode: twoDigits(place.province),
          regencyCode: twoDigits(place.regency),
          districtCode: twoDigits(place.district),
          birthDate: date.toISOString().slice(0, 10),
          sex: sexOf,
          serial: serialOf,
        });
      }),
    );
  });

  /** Impossible DDMMYY parts, built from the calendar's rules rather than from the parser's code. */
  const femaleOrMale = (day: number) => fc.constantFrom(day, day + 40);
  const impossibleDate = fc.oneof(
    fc
      .tuple(fc.constantFrom(0, 32, 33, 39, 40, 72, 80, 99), fc.integer({ min: 1, max: 12 }), fc.nat(99))
      .map(([day, month, year]) => [day, month, year]),
    fc
      .tuple(fc.integer({ min: 1, max: 28 }), fc.constantFrom(0, 13, 20, 99), fc.nat(99))
      .chain(([day, month, year]) => femaleOrMale(day).map((encoded) => [encoded, month, year])),
    fc
      .tuple(fc.constantFrom(4, 6, 9, 11), fc.nat(99))
      .chain(([month, year]) => femaleOrMale(31).map((encoded) => [encoded, month, year])),
    fc
      .tuple(fc.constantFrom(30, 31), fc.nat(99))
      .chain(([day, year]) => femaleOrMale(day).map((encoded) => [encoded, 2, year])),
    // 29 February of a year that is not a multiple of 4, in either century.
    fc
      .nat(99)
      .filter((year) => year % 4 !== 0)
      .chain((year) => femaleOrMale(29).map((encoded) => [encoded, 2, year])),
  );

  it('refuses every NIK whose date part is changed to an impossible date', () => {
    fc.assert(
      fc.property(region, serial, impossibleDate, (place, serialOf, [day, month, year]) => {
        const nik = `${prefixOf(place)}${twoDigits(day)}${twoDigits(month)}${twoDigits(year)}${serialOf}`;
        expect(() => parseNik(nik, NOW)).toThrow(expect.objectContaining({ code: 'INVALID_NIK', field: 'nik' }));
      }),
    );
  });
});
