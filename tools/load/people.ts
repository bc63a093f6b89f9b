/**
 * Synthetic beneficiaries of Musi Banyuasin (regency 16.06), one per serial number: a valid NIK
 * (district, birth date, women's day + 40, serial), a KK and a 15-digit account, all strings.
 * Distinct serials give distinct NIKs up to 279,999, far more than a load run enrols.
 */
const DISTRICTS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14'];
const BANK_CODES = ['002', '008', '009', '014'];
const GIVEN = ['SITI', 'AHMAD', 'NURHAYATI', 'BUDI', 'RINA', 'SUPARMAN', 'DEWI', 'HENDRA', 'YULIANA', 'SLAMET'];
const FAMILY = ['AMINAH', 'SANTOSO', 'HASIBUAN', 'LUBIS', 'PRATAMA', 'SARI', 'WIJAYA', 'HARAHAP', 'SIREGAR', 'PUTRI'];
const DAYS_PER_SERIAL = 28;

export interface Person {
  readonly nik: string;
  readonly kk: string;
  readonly name: string;
  readonly regionCode: string;
  readonly bankAccount: {
    readonly bankCode: string;
    readonly accountNumber: string;
    readonly accountHolderName: string;
  };
}

export function personOf(n: number): Person {
  const district = DISTRICTS[n % DISTRICTS.length];
  const day = 1 + (n % DAYS_PER_SERIAL);
  const female = n % 2 === 0;
  const month = 1 + (Math.floor(n / DAYS_PER_SERIAL) % 12);
  const year = 40 + (Math.floor(n / (DAYS_PER_SERIAL * 12)) % 45);
  const ddmmyy = [female ? day + 40 : day, month, year].map((part) => String(part).padStart(2, '0')).join('');
  const serial = String(1 + Math.floor(n / DAYS_PER_SERIAL)).padStart(4, '0');
  const name = `${GIVEN[n % GIVEN.length]} ${FAMILY[Math.floor(n / GIVEN.length) % FAMILY.length]} ${n}`;
  return {
    nik: `1606${district}${ddmmyy}${serial}`,
    kk: `1606${district}${String(100_000 + n).padStart(10, '0')}`,
    name,
    regionCode: `16.06.${district}.${2001 + (n % 20)}`,
    bankAccount: {
      bankCode: BANK_CODES[n % BANK_CODES.length],
      accountNumber: `00${String(190_100_000_000 + n).padStart(13, '0')}`,
      accountHolderName: name,
    },
  };
}

export const REGISTRY_COLUMNS = 'nik,kk,name,region_code,bank_code,account_number,account_holder_name';

/** Serials `first` .. `first + count - 1` as a registry extract (the bulk enrolment CSV). */
export function registryCsv(first: number, count: number): string {
  const rows = [REGISTRY_COLUMNS];
  for (let n = first; n < first + count; n++) {
    const p = personOf(n);
    rows.push(
      [p.nik, p.kk, p.name, p.regionCode, p.bankAccount.bankCode, p.bankAccount.accountNumber, p.name].join(','),
    );
  }
  return `${rows.join('\n')}\n`;
}
