import { parsePersonalDataRetention, retentionEndsAt, retentionOf } from './personal-data-retention';

describe('retentionEndsAt', () => {
  const ends = (from: string, retention: string) => retentionEndsAt(from, retentionOf(retention));

  it.each([
    ['nothing kept', '2026-03-15T08:30:00.000Z', 'P0D', '2026-03-15T08:30:00.000Z'],
    ['whole years, same instant of the day', '2026-03-15T08:30:00.000Z', 'P5Y', '2031-03-15T08:30:00.000Z'],
    ['a month from the 31st falls back to the last day', '2026-01-31T00:00:00.000Z', 'P1M', '2026-02-28T00:00:00.000Z'],
    ['into a leap February', '2027-01-31T00:00:00.000Z', 'P1Y1M', '2028-02-29T00:00:00.000Z'],
    ['29 February plus a year', '2028-02-29T12:00:00.000Z', 'P1Y', '2029-02-28T12:00:00.000Z'],
    ['days after months, across a year end', '2026-11-30T00:00:00.000Z', 'P1M2D', '2027-01-01T00:00:00.000Z'],
    ['weeks as days', '2026-01-01T00:00:00.000Z', 'P2W', '2026-01-15T00:00:00.000Z'],
  ])('%s', (_, from, retention, end) => {
    expect(ends(from, parsePersonalDataRetention(retention))).toBe(end);
  });
});
