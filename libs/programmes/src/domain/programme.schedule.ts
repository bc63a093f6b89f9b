import { invalid, ruleBroken } from '@salur/kernel';
import { PERIOD_PATTERN } from '@salur/kernel';

/*
 * A programme's schedule: the periods its payments may name. A programme declares it once, as a
 * fact (`ProgrammeScheduleDeclared`), and it has one kind, so a month and the quarter holding it
 * can never both be paid. Pure: the invariant checker calls these as well as the deciders.
 */

export const SCHEDULE_KINDS = ['monthly', 'quarterly', 'one-off'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

/** A one-off period's name when none is given: `2026-ONE`. */
export const DEFAULT_ONE_OFF_NAME = 'ONE';
/** Letters only, so a name never reads as a month (`11`) or a quarter (`Q4`). */
const ONE_OFF_NAME = /^[A-Z]{3,16}$/;

export { PERIOD_PATTERN };

export type Period =
  | { readonly year: number; readonly kind: 'month'; readonly month: number }
  | { readonly year: number; readonly kind: 'quarter'; readonly quarter: number }
  | { readonly year: number; readonly kind: 'one-off'; readonly name: string };

/** What a programme declared: its kind and every period it may pay, in order. */
export interface DeclaredSchedule {
  readonly kind: ScheduleKind;
  readonly periods: readonly string[];
}

/** What the schedule functions need of a programme: its state, or a checker's own fold. */
export interface ScheduledProgramme {
  readonly programmeId: string;
  readonly schedule?: DeclaredSchedule;
}

/** A period's format only; whether a programme pays it is `isDeclaredPeriod`. */
export function isPeriod(value: unknown): value is string {
  return typeof value === 'string' && PERIOD_PATTERN.test(value);
}

export function parsePeriod(value: string): Period | undefined {
  if (!isPeriod(value)) return undefined;
  const year = Number(value.slice(0, 4));
  const rest = value.slice(5);
  if (/^\d{2}$/.test(rest)) return { year, kind: 'month', month: Number(rest) };
  if (/^Q[1-4]$/.test(rest)) return { year, kind: 'quarter', quarter: Number(rest.slice(1)) };
  return { year, kind: 'one-off', name: rest };
}

/**
 * Whether two periods cover some common time: a month overlaps its quarter, and a one-off
 * period stands for its whole year (it is the year's one payment). Periods of different years
 * never overlap; a string that is not a period overlaps only itself.
 */
export function periodsOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  const left = parsePeriod(a);
  const right = parsePeriod(b);
  if (left === undefined || right === undefined || left.year !== right.year) return false;
  if (left.kind === 'one-off' || right.kind === 'one-off') return true;
  return monthsOf(left).some((month) => monthsOf(right).includes(month));
}

function monthsOf(period: Exclude<Period, { kind: 'one-off' }>): number[] {
  if (period.kind === 'month') return [period.month];
  const first = (period.quarter - 1) * 3 + 1;
  return [first, first + 1, first + 2];
}

/** Every period a schedule of this kind declares in the fiscal year, in order. */
export function periodsOfSchedule(kind: ScheduleKind, fiscalYear: number, name = DEFAULT_ONE_OFF_NAME): string[] {
  switch (kind) {
    case 'monthly':
      return Array.from({ length: 12 }, (_, index) => `${fiscalYear}-${String(index + 1).padStart(2, '0')}`);
    case 'quarterly':
      return [1, 2, 3, 4].map((quarter) => `${fiscalYear}-Q${quarter}`);
    case 'one-off':
      return [`${fiscalYear}-${name}`];
  }
}

/** The periods a programme may pay; none until it declared a schedule. */
export function declaredPeriodsOf(programme: ScheduledProgramme): readonly string[] {
  return programme.schedule?.periods ?? [];
}

export function isDeclaredPeriod(programme: ScheduledProgramme, period: string): boolean {
  return declaredPeriodsOf(programme).includes(period);
}

/** 422 `PERIOD_NOT_DECLARED` unless the programme's schedule declares the period. */
export function requireDeclaredPeriod(programme: ScheduledProgramme, period: string): string {
  if (isDeclaredPeriod(programme, period)) return period;
  const declared = programme.schedule
    ? `its ${programme.schedule.kind} schedule declares ${describePeriods(programme.schedule.periods)}`
    : 'it has declared no schedule';
  throw ruleBroken(
    'PERIOD_NOT_DECLARED',
    `${programme.programmeId} does not pay period '${period}': ${declared}`,
    'period',
  );
}

function describePeriods(periods: readonly string[]): string {
  return periods.length <= 2 ? periods.join(' and ') : `${periods[0]} to ${periods[periods.length - 1]}`;
}

/** A schedule as it arrives from outside; absent means monthly, what every programme paid before. */
export function parseScheduleRequest(value: unknown): { kind: ScheduleKind; name?: string } {
  if (value === undefined) return { kind: 'monthly' };
  const { kind, name } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (!SCHEDULE_KINDS.includes(kind as ScheduleKind)) {
    throw invalid('INVALID_SCHEDULE', `schedule.kind must be one of ${SCHEDULE_KINDS.join(', ')}`, 'schedule');
  }
  if (kind !== 'one-off') {
    if (name !== undefined) throw invalid('INVALID_SCHEDULE', 'Only a one-off schedule has a name', 'schedule');
    return { kind: kind as ScheduleKind };
  }
  if (name === undefined) return { kind: 'one-off', name: DEFAULT_ONE_OFF_NAME };
  if (typeof name !== 'string' || !ONE_OFF_NAME.test(name)) {
    throw invalid('INVALID_SCHEDULE', 'schedule.name must be 3 to 16 upper-case letters, e.g. ONE', 'schedule');
  }
  return { kind: 'one-off', name };
}
