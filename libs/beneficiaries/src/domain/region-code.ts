import { invalid } from '@salur/kernel';
import { regionPrefixProblem, type RegionPrefix } from './administrative-region';

/** Kemendagri village-level code PP.RR.DD.VVVV, e.g. 16.06.01.2001 (Musi Banyuasin). */
const REGION_CODE = /^([0-9]{2})\.([0-9]{2})\.([0-9]{2})\.([0-9]{4})$/;

export interface ParsedRegionCode extends RegionPrefix {
  readonly regionCode: string;
  /** Four digits, 0001..9999 (Kemendagri numbers urban kelurahan 1xxx, rural desa 2xxx). */
  readonly villageCode: string;
}

export function parseRegionCode(value: unknown, field = 'regionCode'): ParsedRegionCode {
  const refuse = (reason: string) => invalid('INVALID_REGION_CODE', `Invalid region code: ${reason}`, field);
  const match = typeof value === 'string' ? REGION_CODE.exec(value) : null;
  if (match === null) throw refuse('must look like PP.RR.DD.VVVV, e.g. 16.06.01.2001');
  const [regionCode, provinceCode, regencyCode, districtCode, villageCode] = match;
  const problem = regionPrefixProblem({ provinceCode, regencyCode, districtCode });
  if (problem !== undefined) throw refuse(problem);
  if (villageCode === '0000') throw refuse('village code 0000 is outside 0001..9999');
  return { regionCode, provinceCode, regencyCode, districtCode, villageCode };
}
