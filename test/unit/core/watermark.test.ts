import { describe, expect, it } from 'vitest';
import { dayFinalAt, finalDays, isDayFinal } from '../../../src/core/watermark.js';

describe('completeness watermark', () => {
  const cases = [
    { name: 'no data is never final', newest: null, hours: 48, want: false },
    { name: 'the day itself is not final', newest: '2026-06-14T23:00:00Z', hours: 48, want: false },
    { name: 'one hour short of D+1 00:00 + 48 h', newest: '2026-06-16T23:00:00Z', hours: 48, want: false },
    { name: 'exactly D+1 00:00 + 48 h', newest: '2026-06-17T00:00:00Z', hours: 48, want: true },
    { name: 'later data', newest: '2026-06-20T05:00:00Z', hours: 48, want: true },
    {
      name: 'finalAfterHours 0 is final at the day end',
      newest: '2026-06-15T00:00:00Z',
      hours: 0,
      want: true,
    },
  ];

  it.each(cases)('$name', ({ newest, hours, want }) => {
    // Prepare
    const newestUsageHour = newest === null ? null : new Date(newest);
    // Act
    const final = isDayFinal('2026-06-14', newestUsageHour, hours);
    // Assess
    expect(final).toBe(want);
  });

  it('filters the final days', () => {
    expect(
      finalDays(['2026-06-12', '2026-06-13', '2026-06-14'], new Date('2026-06-16T00:00:00Z'), 48),
    ).toEqual(['2026-06-12', '2026-06-13']);
  });

  it('says when a day becomes final', () => {
    expect(dayFinalAt('2026-06-30', 48).toISOString()).toBe('2026-07-03T00:00:00.000Z');
  });

  it('rejects something that is not a day', () => {
    expect(() => isDayFinal('2026-6-1', new Date(), 48)).toThrow(RangeError);
  });
});
