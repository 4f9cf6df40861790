import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addIsoWeeks,
  isIsoWeek,
  isoWeekDays,
  isoWeekOf,
  lastEndedIsoWeek,
  parseIsoWeek,
  previousIsoWeek,
  weeksInIsoYear,
} from '../../../../src/core/time/iso-week.js';

describe('ISO weeks (UTC, Monday–Sunday)', () => {
  it.each([
    ['2026-06-01', '2026-W23'],
    ['2026-06-07', '2026-W23'],
    ['2026-06-08', '2026-W24'],
    ['2026-01-01', '2026-W01'], // Thursday: week 1 of its own year
    ['2025-12-29', '2026-W01'], // Monday of 2026-W01 lies in 2025
    ['2026-12-28', '2026-W53'],
    ['2027-01-03', '2026-W53'], // Sunday in January, still 2026's week 53
    ['2027-01-04', '2027-W01'],
    ['2021-01-03', '2020-W53'],
    ['2024-12-30', '2025-W01'],
    ['2024-02-29', '2024-W09'],
  ])('%s is in %s', (day, week) => {
    expect(isoWeekOf(day)).toBe(week);
  });

  it('lists week 53 of 2026 across the year and billing-period boundary', () => {
    expect(isoWeekDays('2026-W53')).toEqual([
      '2026-12-28',
      '2026-12-29',
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
      '2027-01-03',
    ]);
  });

  it('knows which years have 53 weeks', () => {
    expect(weeksInIsoYear(2026)).toBe(53);
    expect(weeksInIsoYear(2020)).toBe(53);
    expect(weeksInIsoYear(2015)).toBe(53);
    expect(weeksInIsoYear(2025)).toBe(52);
    expect(weeksInIsoYear(2027)).toBe(52);
  });

  it.each(['2025-W53', '2026-W54', '2026-W00', '2026-W5', '2026W05', '26-W05', 'garbage'])(
    'rejects %s',
    (text) => {
      expect(isIsoWeek(text)).toBe(false);
      expect(() => parseIsoWeek(text)).toThrow(RangeError);
    },
  );

  it('steps across year ends', () => {
    expect(previousIsoWeek('2027-W01')).toBe('2026-W53');
    expect(previousIsoWeek('2026-W01')).toBe('2025-W52');
    expect(addIsoWeeks('2026-W52', 2)).toBe('2027-W01');
  });

  it('the last ended week is the one before the current', () => {
    expect(lastEndedIsoWeek(new Date('2026-06-08T00:00:00Z'))).toBe('2026-W23');
    expect(lastEndedIsoWeek(new Date('2026-06-14T23:59:59Z'))).toBe('2026-W23');
    expect(lastEndedIsoWeek(new Date('2027-01-05T09:00:00Z'))).toBe('2026-W53');
  });

  it('every day lies in the week isoWeekOf names, at its weekday', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 60 }), (offset) => {
        const day = new Date(Date.UTC(1990, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
        const week = isoWeekOf(day);
        const days = isoWeekDays(week);
        const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
        return days[weekday] === day && isoWeekOf(days[0]!) === week && isoWeekOf(days[6]!) === week;
      }),
    );
  });
});
