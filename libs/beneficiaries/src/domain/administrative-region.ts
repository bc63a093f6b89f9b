/**
 * Kemendagri administrative codes, shared by the NIK, the KK and the residence region code:
 * province (2 digits), regency or city (2), district (2). Provinces are checked against the
 * list of the 38 provinces, which changes only by law (the last change, in 2022, split Papua
 * into 93 Papua Selatan, 94 Papua Tengah, 95 Papua Pegunungan and 96 Papua Barat Daya);
 * regencies and districts only for shape, since they split more often.
 */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '16',
  '17',
  '18',
  '19',
  '21',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '51',
  '52',
  '53',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '72',
  '73',
  '74',
  '75',
  '76',
  '81',
  '82',
  '91',
  '92',
  '93',
  '94',
  '95',
  '96',
]);

export interface RegionPrefix {
  readonly provinceCode: string;
  readonly regencyCode: string;
  readonly districtCode: string;
}

/** Why a six-digit province-regency-district prefix is wrong, or undefined when it is fine. */
export function regionPrefixProblem({ provinceCode, regencyCode, districtCode }: RegionPrefix): string | undefined {
  if (!PROVINCE_CODES.has(provinceCode)) return `province code ${provinceCode} is not an Indonesian province`;
  if (regencyCode === '00') return 'regency/city code 00 is outside 01..99';
  if (districtCode === '00') return 'district code 00 is outside 01..99';
  return undefined;
}

/** Splits six ASCII digits (already checked) into the three codes. */
export function regionPrefixOf(sixDigits: string): RegionPrefix {
  return {
    provinceCode: sixDigits.slice(0, 2),
    regencyCode: sixDigits.slice(2, 4),
    districtCode: sixDigits.slice(4, 6),
  };
}
