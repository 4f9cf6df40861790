import { describe, expect, it } from 'vitest';
import { planNotifications } from '../../../../src/core/alerting/plan.js';
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
      firing: g.firing.map((a) => a.finding.rule),
      muted: g.muted.map((m) => m.cause.kind),
    }));
    expect(summary).toEqual([
      {
        receiver: 'oncall',
        labels: { day: '2026-06-14', workload: 'load-test' },
        firing: [],
        muted: ['silenced'],
      },
      {
        receiver: 'oncall',
        labels: { day: '2026-06-14', workload: 'support-bot' },
        firing: ['spend-spike'],
        muted: [],
      },
      {
        receiver: 'owners',
        labels: { day: '2026-06-13', workload: 'support-bot' },
        firing: ['verbose-output'],
        muted: [],
      },
      {
        receiver: 'owners',
        labels: { day: '2026-06-14', workload: 'load-test' },
        firing: [],
        muted: ['silenced'],
      },
      {
        receiver: 'owners',
        labels: { day: '2026-06-14', workload: 'support-bot' },
        firing: ['spend-spike'],
        muted: ['inhibited'],
      },
    ]);
  });

  it('a provisional page never reaches the page route', () => {
    const plan = planNotifications({ findings: [makeFinding({ provisional: true })], alerting, nowMs: NOW });
    expect(plan.map((g) => [g.receiver, g.firing[0]?.severity])).toEqual([['owners', 'warning']]);
  });
});
