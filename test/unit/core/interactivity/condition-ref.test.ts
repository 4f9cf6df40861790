import { describe, expect, it } from 'vitest';
import { toAlert } from '../../../../src/core/alerting/alert.js';
import { silencedBy } from '../../../../src/core/alerting/silences.js';
import {
  BUTTON_VALUE_MAX,
  conditionMatchers,
  conditionOf,
  decodeConditions,
  encodeConditions,
} from '../../../../src/core/interactivity/condition-ref.js';
import { conditionKey } from '../../../../src/core/keys.js';
import { makeFinding } from '../alerting/fixtures.js';

describe('condition refs in button values', () => {
  it('round-trips the conditions of a message, lead first, with their keys', () => {
    // Prepare
    const a = conditionOf(toAlert(makeFinding()));
    const b = conditionOf(toAlert(makeFinding({ rule: 'verbose-output', labels: { model: 'm<1>&' } })));
    // Act
    const encoded = encodeConditions([a, b, a]);
    const decoded = decodeConditions(encoded.value);
    // Assess
    expect(encoded).toMatchObject({ included: 2, omitted: 0 });
    expect(encoded.value).not.toMatch(/[<>&]/);
    expect(decoded).toEqual({ ok: true, conditions: [a, b] });
    expect(a.key).toBe(conditionKey({ rule: 'spend-spike', labels: makeFinding().labels }));
  });

  it('two days of one condition are one condition', () => {
    const d1 = conditionOf(toAlert(makeFinding({ day: '2026-06-14' })));
    const d2 = conditionOf(toAlert(makeFinding({ day: '2026-06-15', severity: 'warning' })));
    expect(d1.key).toBe(d2.key);
    expect(encodeConditions([d1, d2]).included).toBe(1);
  });

  it('keeps within 2000 characters: conditions that do not fit are counted, none fitting means no value', () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      conditionOf(toAlert(makeFinding({ labels: { workload: `workload-${i}-${'x'.repeat(40)}` } }))),
    );
    const fitted = encodeConditions(many);
    expect(fitted.value!.length).toBeLessThanOrEqual(BUTTON_VALUE_MAX);
    expect(fitted.included).toBeGreaterThan(1);
    expect(fitted.included + fitted.omitted).toBe(30);
    expect(fitted.omitted).toBeGreaterThan(0);
    const huge = conditionOf(toAlert(makeFinding({ labels: { workload: 'y'.repeat(3000) } })));
    expect(encodeConditions([huge])).toEqual({ value: null, included: 0, omitted: 1 });
  });

  it('refuses a value whose key is not the hash of its rule and labels, and malformed values', () => {
    const a = conditionOf(toAlert(makeFinding()));
    const forged = JSON.stringify([1, [[a.key, a.rule, { ...a.labels, workload: 'other' }]]]);
    expect(decodeConditions(forged)).toMatchObject({
      ok: false,
      error: expect.stringContaining('does not match'),
    });
    expect(decodeConditions('not json')).toMatchObject({ ok: false });
    expect(decodeConditions(JSON.stringify([2, []]))).toMatchObject({ ok: false });
    expect(decodeConditions(JSON.stringify([1, [[a.key, a.rule, { n: 1 }]]]))).toMatchObject({ ok: false });
    expect(decodeConditions(undefined)).toMatchObject({ ok: false });
  });

  it("matchers select the condition's alerts on any day and nothing else", () => {
    const condition = conditionOf(toAlert(makeFinding({ labels: { rule: 'shadow', severity: 'x' } })));
    const matchers = conditionMatchers(condition);
    expect(matchers.map((m) => m.name)).toEqual([
      'rule',
      'account',
      'cost_center',
      'environment',
      'model',
      'team',
      'workload',
    ]);
    const silence = {
      id: 's',
      matchers,
      startsAtMs: 0,
      endsAtMs: Number.MAX_SAFE_INTEGER,
      createdBy: 'x',
      comment: '',
    };
    const laterDay = toAlert(
      makeFinding({ day: '2026-06-20', severity: 'warning', labels: { rule: 'shadow' } }),
    );
    const otherWorkload = toAlert(makeFinding({ labels: { workload: 'search' } }));
    const otherRule = toAlert(makeFinding({ rule: 'verbose-output' }));
    expect(silencedBy(laterDay.labels, [silence], 1)).toBe(silence);
    expect(silencedBy(otherWorkload.labels, [silence], 1)).toBeUndefined();
    expect(silencedBy(otherRule.labels, [silence], 1)).toBeUndefined();
  });
});
