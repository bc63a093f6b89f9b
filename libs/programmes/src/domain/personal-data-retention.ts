import { invalid } from '@salur/kernel';

/**
 * How long a programme keeps a beneficiary's personal data after they leave it: an ISO-8601
 * duration of calendar years, months, weeks and days (`P10Y`, `P5Y6M`, `P0D`). Hours and
 * smaller units are refused: a legal retention is never counted in hours, and a day-based
 * duration keeps the end of retention one obvious calendar date.
 */
export interface PersonalDataRetention {
  readonly years: number;
  readonly months: number;
  readonly days: number;
}

/**
 * Ten years, when the programme declares none: the term Indonesian law commonly sets for keeping
 * financial records and their supporting documents (UU 28/2007 on tax procedures, art. 28(11);
 * state archives keep finance records at least as long). A default too long is corrected by the
 * programme's own declaration; one too short would destroy evidence for good.
 */
export const DEFAULT_PERSONAL_DATA_RETENTION = 'P10Y';

/** The longest retention a programme may declare: a bound, so a typo (`P100Y`) is refused. */
export const MAX_RETENTION_YEARS = 30;

const DURATION = /^P(?:(\d{1,3})Y)?(?:(\d{1,4})M)?(?:(\d{1,4})W)?(?:(\d{1,5})D)?$/;

/** A duration from outside, checked and bounded; the canonical string is what the event records. */
export function parsePersonalDataRetention(value: unknown, field = 'personalDataRetention'): string {
  const match = typeof value === 'string' && value !== 'P' ? DURATION.exec(value) : null;
  if (match === null) {
    throw invalid(
      'INVALID_RETENTION',
      `${field} must be an ISO-8601 duration of years, months, weeks or days, such as P10Y or P0D`,
      field,
    );
  }
  const [years, months, weeks, days] = match.slice(1).map((part) => Number(part ?? 0));
  const retention = { years, months, days: weeks * 7 + days };
  if (exceedsBound(retention)) {
    throw invalid('INVALID_RETENTION', `${field} must be at most P${MAX_RETENTION_YEARS}Y`, field);
  }
  return formatRetention(retention);
}

/** A retention recorded by an event: it was checked when it was declared. */
export function retentionOf(canonical: string): PersonalDataRetention {
  const match = DURATION.exec(canonical);
  if (match === null) throw new Error(`Recorded retention '${canonical}' is not a duration`);
  const [years, months, weeks, days] = match.slice(1).map((part) => Number(part ?? 0));
  return { years, months, days: weeks * 7 + days };
}

export function formatRetention({ years, months, days }: PersonalDataRetention): string {
  const parts = `${years ? `${years}Y` : ''}${months ? `${months}M` : ''}${days ? `${days}D` : ''}`;
  return parts === '' ? 'P0D' : `P${parts}`;
}

/**
 * The instant the retention counted from `from` ends. Calendar arithmetic, as a lawyer counts:
 * years and months first, a day past the end of the target month falling back to its last day
 * (31 January + P1M is 28 or 29 February), then days.
 */
export function retentionEndsAt(from: string, retention: PersonalDataRetention): string {
  const start = new Date(from);
  if (Number.isNaN(start.getTime())) throw new Error(`'${from}' is not an instant`);
  const monthIndex = start.getUTCMonth() + retention.years * 12 + retention.months;
  const year = start.getUTCFullYear() + Math.floor(monthIndex / 12);
  const month = monthIndex % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const end = new Date(start.getTime());
  end.setUTCFullYear(year, month, Math.min(start.getUTCDate(), lastDay));
  end.setUTCDate(end.getUTCDate() + retention.days);
  return end.toISOString();
}

/** Measured from a fixed date, so the bound is one rule for every programme whatever its months. */
function exceedsBound(retention: PersonalDataRetention): boolean {
  const reference = '2000-01-01T00:00:00.000Z';
  const bound = retentionEndsAt(reference, { years: MAX_RETENTION_YEARS, months: 0, days: 0 });
  return retentionEndsAt(reference, retention) > bound;
}
