import { describe, expect, it } from 'vitest';
import {
  conditionAgeDays,
  conditionOptionsFor,
  conditionsOf,
  isResolved,
  lastFinalDayOf,
  resolveAfterDaysFor,
} from '../../../../src/core/alerting/conditions.js';
import { conditionKey } from '../../../../src/core/keys.js';
import { makeFinding } from './fixtures.js';

describe('conditions', () => {
  it('folds the days of one rule + label set into one condition, shown by its newest day', () => {
    const days = ['2026-06-15', '2026-06-16', '2026-06-18'];
    const findings = [
      ...days.map((day) => makeFinding({ rule: 'dev-in-prod', severity: 'warning', day })),
      makeFinding({
        rule: 'dev-in-prod',
        severity: 'warning',
        day: '2026-06-16',
        labels: { workload: 'other' },
      }),
    ];
    const views = conditionsOf(findings, { lastFinalDay: '2026-06-18' });
    expect(views).toHaveLength(2);
    const etl = views.find((v) => v.finding.labels.workload === 'support-bot')!;
    expect(etl).toMatchObject({
      key: conditionKey(findings[0]!),
      status: 'firing',
      firstDay: '2026-06-15',
      lastDay: '2026-06-18',
      daysFound: 3,
      resolveAfterDays: 3,
    });
    expect(etl.finding.day).toBe('2026-06-18');
    // The other workload's condition, last found 06-16, has had 2 quiet final days of the 3 it needs.
    expect(views.find((v) => v.finding.labels.workload === 'other')!.status).toBe('firing');
    expect(
      conditionsOf(findings, { lastFinalDay: '2026-06-19' })
        .map((v) => v.status)
        .sort(),
    ).toEqual(['firing', 'resolved']);
  });

  it('on one day, the more severe then larger finding of two rule instances represents the condition', () => {
    const a = makeFinding({ name: 'spike-soft', severity: 'warning', today: '900' });
    const b = makeFinding({ name: 'spike-hard', severity: 'page', today: '400' });
    expect(conditionsOf([a, b], { lastFinalDay: null })[0]!.finding.name).toBe('spike-hard');
  });

  it('resolves after N final days without the finding; never without a final day', () => {
    expect(isResolved('2026-06-10', '2026-06-11', 1)).toBe(true);
    expect(isResolved('2026-06-10', '2026-06-10', 1)).toBe(false);
    expect(isResolved('2026-06-10', '2026-06-12', 3)).toBe(false);
    expect(isResolved('2026-06-10', '2026-06-13', 3)).toBe(true);
    expect(isResolved('2026-06-10', null, 1)).toBe(false);
  });

  it('defaults by rule type, overridden per rule instance (resolve_after_days)', () => {
    expect(resolveAfterDaysFor('spend-spike')).toBe(1);
    expect(resolveAfterDaysFor('dev-in-prod')).toBe(3);
    expect(resolveAfterDaysFor('verbose-output')).toBe(2);
    expect(resolveAfterDaysFor('spend-spike', 5)).toBe(5);
    const options = conditionOptionsFor({
      rules: [{ name: 'slow-spike', type: 'spend-spike', resolve_after_days: 4 }],
      days: ['2026-06-10', '2026-06-11', '2026-06-12'],
      newestUsageHour: new Date('2026-06-14T00:00:00Z'),
      finalAfterHours: 48,
    });
    expect(options.lastFinalDay).toBe('2026-06-11');
    expect(options.resolveAfterDays!(makeFinding({ name: 'slow-spike' }))).toBe(4);
    expect(options.resolveAfterDays!(makeFinding({ name: 'spend-spike' }))).toBe(1);
  });

  it('last final day and age', () => {
    const days = ['2026-06-10', '2026-06-11', '2026-06-12'];
    expect(lastFinalDayOf(days, new Date('2026-06-12T23:00:00Z'), 48)).toBeNull();
    expect(lastFinalDayOf(days, new Date('2026-06-13T00:00:00Z'), 48)).toBe('2026-06-10');
    expect(lastFinalDayOf(days, new Date('2026-06-13T00:00:00Z'), 0)).toBe('2026-06-12');
    expect(conditionAgeDays('2026-06-15', '2026-06-15')).toBe(1);
    expect(conditionAgeDays('2026-06-15', '2026-07-01')).toBe(17);
  });
});
