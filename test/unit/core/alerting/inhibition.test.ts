import { describe, expect, it } from 'vitest';
import { toAlert } from '../../../../src/core/alerting/alert.js';
import {
  compileInhibitRule,
  DEFAULT_INHIBIT_RULES,
  inhibitionOf,
} from '../../../../src/core/alerting/inhibition.js';
import { makeFinding } from './fixtures.js';

const rules = DEFAULT_INHIBIT_RULES.map((r) => compileInhibitRule(r));
const spike = toAlert(makeFinding({ rule: 'spend-spike', severity: 'page' }));

describe('default inhibit rule: a spend-spike page mutes the workload’s lesser findings that day', () => {
  it.each([
    {
      name: 'same workload and day, warning',
      target: { rule: 'verbose-output', severity: 'warning' as const },
      want: true,
    },
    {
      name: 'same workload and day, info',
      target: { rule: 'cache-regression', severity: 'info' as const },
      want: true,
    },
    {
      name: 'same workload, other day',
      target: { rule: 'verbose-output', severity: 'warning' as const, day: '2026-06-13' },
      want: false,
    },
    {
      name: 'other workload, same day',
      target: { rule: 'verbose-output', severity: 'warning' as const, labels: { workload: 'search' } },
      want: false,
    },
    {
      name: 'another page is not a target',
      target: { rule: 'idle-provisioned', severity: 'page' as const },
      want: false,
    },
  ])('$name → inhibited: $want', ({ target, want }) => {
    // Prepare
    const alert = toAlert(makeFinding(target));
    // Act
    const inhibition = inhibitionOf(alert, [spike, alert], rules);
    // Assess
    expect(inhibition !== undefined).toBe(want);
    if (want) expect(inhibition?.source.fingerprint).toBe(spike.fingerprint);
  });

  it('a provisional spike is capped at warning and inhibits nothing', () => {
    const provisional = toAlert(makeFinding({ provisional: true }));
    const warning = toAlert(makeFinding({ rule: 'verbose-output', severity: 'warning' }));
    expect(provisional.severity).toBe('warning');
    expect(inhibitionOf(warning, [provisional, warning], rules)).toBeUndefined();
  });

  it('an alert never inhibits itself, and two alerts matching both sides do not mute each other', () => {
    // Prepare: a rule whose source and target sets overlap.
    const rule = compileInhibitRule({
      source_matchers: ['rule="spend-spike"'],
      target_matchers: ['rule="spend-spike"'],
      equal: ['workload'],
    });
    const a = toAlert(makeFinding({ labels: { model: 'a' } }));
    const b = toAlert(makeFinding({ labels: { model: 'b' } }));
    // Act / Assess
    expect(inhibitionOf(a, [a], [rule])).toBeUndefined();
    expect(inhibitionOf(a, [a, b], [rule])).toBeUndefined();
  });
});
