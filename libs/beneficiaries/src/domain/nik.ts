import { invalid } from '@salur/kernel';
import { regionPrefixOf, regionPrefixProblem, type RegionPrefix } from './administrative-region';

/**
 * NIK and KK numbers are 16-digit strings and stay strings: Papua NIKs (province 91..94) are
 * above 2^53, where a JS number silently changes the last digit.
 */
const SIXTEEN_ASCII_DIGITS = /^[0-9]{16}$/;

/** Women's NIKs carry the birth day plus 40, so 41..71 stands for days 1..31. */
const FEMALE_DAY_OFFSET = 40;

/**
 * The 2-digit birth year is resolved against the calendar date in WIT (UTC+9), the latest local
 * date anywhere in Indonesia, so someone born today in Jayapura is not placed a century back.
 */
const LATEST_INDONESIAN_UTC_OFFSET_MS = 9 * 60 * 60 * 1000;

export type Sex = 'F' | 'M';

export interface ParsedNik extends RegionPrefix {
  readonly nik: string;
  /** ISO calendar date, YYYY-MM-DD. */
  readonly birthDate: string;
  readonly sex: Sex;
  /** Four digits, 0001..9999. */
  readonly serial: string;
}

export interface ParsedKk extends RegionPrefix {
  readonly kk: string;
}

type Refuse = (reason: string) => never;

/**
 * Checks a NIK part by part; the error's message names the part that is wrong (never the whole
 * number: messages end up in logs, NIKs are personal data). `now` is the command's instant.
 */
export function parseNik(value: unknown, now: string, field = 'nik'): ParsedNik {
  const refuse: Refuse = (reason) => {
    throw invalid('INVALID_NIK', `Invalid NIK: ${reason}`, field);
  };
  const nik = sixteenDigits(value, refuse);
  const region = checkedRegionPrefix(nik, refuse);
  const { birthDate, sex } = birthDateAndSex(nik.slice(6, 12), now, refuse);
  const serial = nik.slice(12, 16);
  if (serial === '0000') refuse('serial 0000 is outside 0001..9999');
  return { nik, ...region, birthDate, sex, serial };
}

/** A family card (Kartu Keluarga) number: 16 digits starting with a valid region prefix. */
export function parseKk(value: unknown, field = 'kk'): ParsedKk {
  const refuse: Refuse = (reason) => {
    throw invalid('INVALID_KK', `Invalid KK: ${reason}`, field);
  };
  const kk = sixteenDigits(value, refuse);
  return { kk, ...checkedRegionPrefix(kk, refuse) };
}

function sixteenDigits(value: unknown, refuse: Refuse): string {
  if (typeof value === 'number') refuse('must be a string of 16 digits, not a number (numbers above 2^53 lose digits)');
  if (typeof value !== 'string') return refuse(`must be a string of 16 digits, not a ${typeof value}`);
  if (!SIXTEEN_ASCII_DIGITS.test(value)) refuse(`must be exactly 16 digits 0-9, got ${value.length} characters`);
  return value;
}

function checkedRegionPrefix(digits: string, refuse: Refuse): RegionPrefix {
  const region = regionPrefixOf(digits.slice(0, 6));
  const problem = regionPrefixProblem(region);
  if (problem !== undefined) refuse(problem);
  return region;
}

function birthDateAndSex(ddmmyy: string, now: string, refuse: Refuse): { birthDate: string; sex: Sex } {
  const encodedDay = Number(ddmmyy.slice(0, 2));
  const month = Number(ddmmyy.slice(2, 4));
  const sex: Sex = encodedDay > FEMALE_DAY_OFFSET ? 'F' : 'M';
  const day = sex === 'F' ? encodedDay - FEMALE_DAY_OFFSET : encodedDay;
  if (day < 1 || day > 31) {
    refuse(`birth day ${ddmmyy.slice(0, 2)} is neither 01..31 (male) nor 41..71 (female)`);
  }
  if (month < 1 || month > 12) refuse(`birth month ${ddmmyy.slice(2, 4)} is outside 01..12`);
  const year = resolveBirthYear(Number(ddmmyy.slice(4, 6)), month, day, now);
  const birthDate = `${year}-${pad(month)}-${pad(day)}`;
  if (day > daysInMonth(year, month)) refuse(`birth date ${birthDate} is not a calendar date`);
  return { birthDate, sex };
}

/** The latest century that does not put the birth date after today. */
function resolveBirthYear(twoDigitYear: number, month: number, day: number, now: string): number {
  const today = new Date(Date.parse(now) + LATEST_INDONESIAN_UTC_OFFSET_MS);
  if (Number.isNaN(today.getTime())) throw new Error(`context.now '${now}' is not an ISO-8601 instant`);
  const thisYear = today.getUTCFullYear();
  const sameCentury = thisYear - (thisYear % 100) + twoDigitYear;
  const birthdayKey = sameCentury * 10_000 + month * 100 + day;
  const todayKey = thisYear * 10_000 + (today.getUTCMonth() + 1) * 100 + today.getUTCDate();
  return birthdayKey > todayKey ? sameCentury - 100 : sameCentury;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
