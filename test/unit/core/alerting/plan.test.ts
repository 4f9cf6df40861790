import { describe, expect, it } from 'vitest';
import { planNotifications } from '../../../../src/core/alerting/plan.js';
import { conditionKey } from '../../../../src/core/keys.js';
import { alertingFrom, makeFinding, NOW } from './fixtures.js';

const alerting = alertingFrom({
  routes: {
    receiver: 'owners',
    routes: [
      { matchers: ['severity="page"'], receiver: 'oncall', continue: true },
      // No matchers: everything, pages included, also reaches the owners.
      { receiver: 'owners' },
    ],
  },
  receivers: [
    { name: 'oncall', sns: { topic_arn: 'arn:aws:sns:us-east-1:111111111111:pages' } },
    { name: 'owners', slack: { channel: '{{owner.channel}}', fallback_channel: '#finops' } },
  ],
  silences: [
    {
      matchers: ['workload="load-test"'],
      starts_at: '2026-06-15T00:00:00Z',
      ends_at: '2026-06-20T00:00:00Z',
      created_by: 'alice',
      comment: 'load test',
    },
  ],
});

describe('planNotifications', () => {
  it('routes, groups and mutes: the page goes to on-call and owners; its warnings are inhibited', () => {
    // Prepare
    const spike = makeFinding();
    const verbose = makeFinding({ rule: 'verbose-output', severity: 'warning', labels: { model: 'm' } });
    const otherDay = makeFinding({ rule: 'verbose-output', severity: 'warning', day: '2026-06-13' });
    const loadTest = makeFinding({ labels: { workload: 'load-test' } });
    // Act
    const plan = planNotifications({ findings: [spike, verbose, otherDay, loadTest], alerting, nowMs: NOW });
    // Assess
    const summary = plan.map((g) => ({
      receiver: g.receiver,
      labels: g.groupLabels,
      firing: g.firing.map((a) => `${a.finding.rule} ${a.finding.day}`).sort(),
      muted: g.muted.map((m) => `${m.cause.kind} ${m.alert.finding.rule} ${m.alert.finding.day}`),
    }));
    // Grouped by workload (the default): the day is not a group label, so one group holds every day's
    // conditions; the spike page inhibits the same workload's warning of its own day only.
    expect(summary).toEqual([
      {
        receiver: 'oncall',
        labels: { workload: 'load-test' },
        firing: [],
        muted: ['silenced spend-spike 2026-06-14'],
      },
      {
        receiver: 'oncall',
        labels: { workload: 'support-bot' },
        firing: ['spend-spike 2026-06-14'],
        muted: [],
      },
      {
        receiver: 'owners',
        labels: { workload: 'load-test' },
        firing: [],
        muted: ['silenced spend-spike 2026-06-14'],
      },
      {
        receiver: 'owners',
        labels: { workload: 'support-bot' },
        firing: ['spend-spike 2026-06-14', 'verbose-output 2026-06-13'],
        muted: ['inhibited verbose-output 2026-06-14'],
      },
    ]);
    // Alerts are conditions: identified by conditionKey, not by the day's fingerprint.
    expect(plan[1]!.firing[0]!.fingerprint).toBe(conditionKey(spike));
  });

  it('folds the days of a condition into one alert (its newest day) and resolves it after quiet final days', () => {
    const days = ['2026-06-10', '2026-06-11', '2026-06-12'];
    const findings = days.map((day) => makeFinding({ rule: 'dev-in-prod', severity: 'warning', day }));
    const firing = planNotifications({
      findings,
      alerting,
      nowMs: NOW,
      conditions: { lastFinalDay: '2026-06-14' },
    });
    expect(firing.map((g) => [g.receiver, g.firing.length, g.resolved.length])).toEqual([['owners', 1, 0]]);
    expect(firing[0]!.firing[0]!.finding.day).toBe('2026-06-12');
    expect(firing[0]!.firing[0]!.condition).toEqual({
      status: 'firing',
      firstDay: '2026-06-10',
      lastDay: '2026-06-12',
      daysFound: 3,
    });
    // dev-in-prod resolves after 3 quiet final days: 06-13, 06-14, 06-15.
    const resolved = planNotifications({
      findings,
      alerting,
      nowMs: NOW,
      conditions: { lastFinalDay: '2026-06-15' },
    });
    expect(resolved.map((g) => [g.receiver, g.firing.length, g.resolved.length])).toEqual([['owners', 0, 1]]);
  });

  it('a provisional page never reaches the page route', () => {
    const plan = planNotifications({ findings: [makeFinding({ provisional: true })], alerting, nowMs: NOW });
    expect(plan.map((g) => [g.receiver, g.firing[0]?.severity])).toEqual([['owners', 'warning']]);
  });
});
