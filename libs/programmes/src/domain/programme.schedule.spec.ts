import { fold } from '@salur/kernel';
import { programmeDecider } from './programme.decider';
import { programmeCreated, scheduleDeclared } from './programme.fixtures';
import {
  declaredPeriodsOf,
  isDeclaredPeriod,
  isPeriod,
  parsePeriod,
  periodsOverlap,
  requireDeclaredPeriod,
  type ScheduleKind,
} from './programme.schedule';
import type { ProgrammeState } from './programme.state';

function programmeWith(kind?: ScheduleKind): ProgrammeState & { status: 'active' } {
  const state = fold(programmeDecider, kind ? [programmeCreated(), scheduleDeclared(kind)] : [programmeCreated()]);
  if (state.status !== 'active') throw new Error('expected an active programme');
  return state;
}

describe('periods', () => {
  it.each(['2026-01', '2026-12', '2026-Q1', '2026-Q4', '2026-ONE', '2026-LEBARAN'])('reads %s as a period', (value) => {
    expect(isPeriod(value)).toBe(true);
  });

  it.each(['2026-13', '2026-00', '2026-Q5', '2026-Q0', '2026-one', '2026-ON', '2026-1', '0999-01', 2026, undefined])(
    'refuses %p',
    (value) => {
      expect(isPeriod(value)).toBe(false);
    },
  );

  it('parses each kind', () => {
    expect(parsePeriod('2026-11')).toEqual({ year: 2026, kind: 'month', month: 11 });
    expect(parsePeriod('2026-Q4')).toEqual({ year: 2026, kind: 'quarter', quarter: 4 });
    expect(parsePeriod('2026-ONE')).toEqual({ year: 2026, kind: 'one-off', name: 'ONE' });
    expect(parsePeriod('2026-13')).toBeUndefined();
  });
});

describe('periodsOverlap', () => {
  it.each([
    ['2026-11', '2026-11'],
    ['2026-10', '2026-Q4'],
    ['2026-12', '2026-Q4'],
    ['2026-Q4', '2026-11'],
    ['2026-01', '2026-Q1'],
    ['2026-ONE', '2026-03'],
    ['2026-Q2', '2026-ONE'],
    ['2026-ONE', '2026-LEBARAN'],
  ])('%s overlaps %s', (a, b) => {
    expect(periodsOverlap(a, b)).toBe(true);
    expect(periodsOverlap(b, a)).toBe(true);
  });

  it.each([
    ['2026-11', '2026-12'],
    ['2026-09', '2026-Q4'],
    ['2026-Q3', '2026-Q4'],
    ['2026-11', '2027-11'],
    ['2026-ONE', '2027-ONE'],
    ['2026-Q4', '2027-10'],
    ['not a period', '2026-11'],
  ])('%s does not overlap %s', (a, b) => {
    expect(periodsOverlap(a, b)).toBe(false);
    expect(periodsOverlap(b, a)).toBe(false);
  });

  it('never lets two periods of one declared schedule overlap', () => {
    for (const kind of ['monthly', 'quarterly', 'one-off'] as const) {
      const periods = declaredPeriodsOf(programmeWith(kind));
      for (const a of periods) for (const b of periods) expect(periodsOverlap(a, b)).toBe(a === b);
    }
  });
});

describe('declared periods', () => {
  it('are those of the schedule, inside the fiscal year', () => {
    const monthly = programmeWith('monthly');
    expect(isDeclaredPeriod(monthly, '2026-11')).toBe(true);
    expect(isDeclaredPeriod(monthly, '2026-Q4')).toBe(false);
    expect(isDeclaredPeriod(monthly, '2027-01')).toBe(false);
    expect(isDeclaredPeriod(programmeWith('quarterly'), '2026-Q4')).toBe(true);
    expect(isDeclaredPeriod(programmeWith('quarterly'), '2026-11')).toBe(false);
    expect(declaredPeriodsOf(programmeWith('one-off'))).toEqual(['2026-ONE']);
  });

  it('are none before a schedule is declared', () => {
    expect(declaredPeriodsOf(programmeWith())).toEqual([]);
  });

  it('refuses another period with PERIOD_NOT_DECLARED, naming the field period', () => {
    expect(() => requireDeclaredPeriod(programmeWith('monthly'), '2026-Q4')).toThrow(
      expect.objectContaining({ code: 'PERIOD_NOT_DECLARED', kind: 'rule', field: 'period' }),
    );
    expect(() => requireDeclaredPeriod(programmeWith('monthly'), '2027-01')).toThrow('2026-01 to 2026-12');
    expect(() => requireDeclaredPeriod(programmeWith(), '2026-11')).toThrow('declared no schedule');
    expect(requireDeclaredPeriod(programmeWith('monthly'), '2026-11')).toBe('2026-11');
  });
});
