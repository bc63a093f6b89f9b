import { parseRegionCode } from './region-code';

describe('parseRegionCode', () => {
  it('parses a Kemendagri village code such as 16.06.01.2001 (Musi Banyuasin)', () => {
    expect(parseRegionCode('16.06.01.2001')).toEqual({
      regionCode: '16.06.01.2001',
      provinceCode: '16',
      regencyCode: '06',
      districtCode: '01',
      villageCode: '2001',
    });
  });

  it.each(['91.71.01.1001', '11.01.01.0001', '94.99.99.9999'])('accepts %s', (code) => {
    expect(parseRegionCode(code).regionCode).toBe(code);
  });

  it.each([
    ['no dots', '1606012001'],
    ['dashes', '16-06-01-2001'],
    ['a 3-digit village', '16.06.01.200'],
    ['a 1-digit district', '16.06.1.2001'],
    ['a trailing space', '16.06.01.2001 '],
    ['province 10', '10.06.01.2001'],
    ['province 99', '99.06.01.2001'],
    ['regency 00', '16.00.01.2001'],
    ['district 00', '16.06.00.2001'],
    ['village 0000', '16.06.01.0000'],
    ['a number', 16060120],
    ['nothing', undefined],
  ])('refuses %s (INVALID_REGION_CODE)', (_, code) => {
    expect(() => parseRegionCode(code)).toThrow(
      expect.objectContaining({ code: 'INVALID_REGION_CODE', kind: 'invalid', field: 'regionCode' }),
    );
  });
});
