/**
 * Synthetic beneficiaries with valid NIKs from Musi Banyuasin (Sumatera Selatan, 16.06.xx) and
 * 15-digit account numbers, as a registry extract (the bulk enrolment CSV).
 */
const DISTRICTS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14'];
const BANK_CODES = ['002', '008', '009', '014'];
const GIVEN = ['SITI', 'AHMAD', 'NURHAYATI', 'BUDI', 'RINA', 'SUPARMAN', 'DEWI', 'HENDRA', 'YULIANA', 'SLAMET'];
const FAMILY = ['AMINAH', 'SANTOSO', 'HASIBUAN', 'LUBIS', 'PRATAMA', 'SARI', 'WIJAYA', 'HARAHAP', 'SIREGAR', 'PUTRI'];

export interface SyntheticBeneficiary {
  readonly nik: string;
  readonly kk: string;
  readonly name: string;
  readonly regionCode: string;
  readonly bankCode: string;
  readonly accountNumber: string;
}

export function syntheticBeneficiary(n: number): SyntheticBeneficiary {
  const district = DISTRICTS[n % DISTRICTS.length];
  const female = n % 2 === 0;
  const day = 1 + (n % 28);
  const month = 1 + (Math.floor(n / 28) % 12);
  const year = 40 + (Math.floor(n / 336) % 45);
  const serial = 1 + Math.floor(n / (DISTRICTS.length * 2));
  const ddmmyy = `${String(female ? day + 40 : day).padStart(2, '0')}${String(month).padStart(2, '0')}${String(year).padStart(2, '0')}`;
  return {
    nik: `1606${district}${ddmmyy}${String(serial % 10_000 || 1).padStart(4, '0')}`,
    kk: `1606${district}${String(100_000 + n).padStart(10, '0')}`,
    name: `${GIVEN[n % GIVEN.length]} ${FAMILY[Math.floor(n / GIVEN.length) % FAMILY.length]} ${n}`,
    regionCode: `16.06.${district}.${2001 + (n % 20)}`,
    bankCode: BANK_CODES[n % BANK_CODES.length],
    accountNumber: accountNumberOf(n, 0),
  };
}

/** A 15-digit account number (leading zeros kept); `version` > 0 gives the fixed account after a rejection. */
export function accountNumberOf(n: number, version: number): string {
  return `${String(version).padStart(2, '0')}${String(190_100_000_000 + n).padStart(13, '0')}`;
}

export const REGISTRY_COLUMNS = 'nik,kk,name,region_code,bank_code,account_number,account_holder_name';

/** Rows `first` .. `first + count - 1` of the synthetic registry, with the header row. */
export function registryCsv(count: number, first = 1): string {
  const rows = [REGISTRY_COLUMNS];
  for (let n = first; n < first + count; n++) {
    const b = syntheticBeneficiary(n);
    rows.push([b.nik, b.kk, b.name, b.regionCode, b.bankCode, b.accountNumber, b.name].join(','));
  }
  return `${rows.join('\n')}\n`;
}
