import { beforeEach, describe, expect, it } from 'vitest';
import { notify } from '../../src/app/notify.js';
import type { SilenceStore } from '../../src/app/ports/alerting.js';
import { compileSilence } from '../../src/core/alerting/silences.js';
import { conditionKey } from '../../src/core/keys.js';
import type { Finding } from '../../src/core/rules/finding.js';
import { alertingFrom, DAY_MS, HOUR_MS, makeFinding, NOW } from '../unit/core/alerting/fixtures.js';
import { FakeNotificationLog, FakeNotifier, manualClock } from './fakes.js';

const alerting = alertingFrom({
  routes: {
    receiver: 'owners',
    routes: [
      { matchers: ['severity="page"'], receiver: 'oncall', continue: true, repeat_interval: '1d' },
      { receiver: 'owners' },
    ],
  },
  receivers: [
    {
      name: 'oncall',
      slack: { channel: '#bedrock-oncall' },
      sns: { topic_arn: 'arn:aws:sns:us-east-1:111111111111:bedrock-pages.fifo' },
    },
    { name: 'owners', slack: { channel: '{{owner.channel}}', token_env: 'OWNER_BOT_TOKEN' } },
  ],
  owners: {
    teams: { 'ml-platform': { slack_channel: '#ml-platform', mention: 'S0123ABCD' } },
    workloads: { 'support-bot': { team: 'ml-platform' } },
  },
});

describe('notify', () => {
  let log: FakeNotificationLog;
  let slack: FakeNotifier<'slack'>;
  let sns: FakeNotifier<'sns'>;
  let clock: ReturnType<typeof manualClock>;
  const run = (findings: readonly Finding[], extra: { dryRun?: boolean; silences?: SilenceStore } = {}) =>
    notify(
      { findings, alerting, dryRun: extra.dryRun },
      { log, notifiers: { slack, sns }, clock, silences: extra.silences },
    );
  const outcomes = (report: Awaited<ReturnType<typeof run>>) =>
    report.entries.map((e) => `${e.receiver}/${e.integration} ${e.reason ?? '-'} ${e.outcome}`);

  beforeEach(() => {
    log = new FakeNotificationLog();
    slack = new FakeNotifier();
    sns = new FakeNotifier();
    clock = manualClock(NOW);
  });

  it('sends a page to on-call (Slack + SNS) and the owner channel, then nothing on a re-run', async () => {
    // Prepare
    const findings = [makeFinding()];
    // Act
    const first = await run(findings);
    clock.advance(HOUR_MS);
    const second = await run(findings);
    // Assess
    expect(outcomes(first)).toEqual([
      'oncall/slack first delivered',
      'oncall/sns first delivered',
      'owners/slack first delivered',
    ]);
    expect(slack.sent.map((d) => [d.channel, d.tokenRef])).toEqual([
      ['#bedrock-oncall', 'SLACK_BOT_TOKEN'],
      ['#ml-platform', 'OWNER_BOT_TOKEN'],
    ]);
    expect(outcomes(second)).toEqual([
      'oncall/slack none suppressed',
      'oncall/sns none suppressed',
      'owners/slack none suppressed',
    ]);
    expect(sns.sent).toHaveLength(1);
    expect(second.metrics.NotificationsSuppressed).toBe(3);
    expect([...log.entries.values()].every((e) => e.state === 'SENT')).toBe(true);
  });

  it('sends again when the group escalates (amount ≥ 2×) or gains a finding, and after the repeat interval', async () => {
    // Prepare
    await run([makeFinding()]);
    // Act
    const doubled = await run([makeFinding({ today: '824.60' })]);
    const grown = await run([
      makeFinding({ today: '824.60' }),
      makeFinding({ labels: { model: 'claude' }, today: '1' }),
    ]);
    clock.advance(DAY_MS);
    const repeated = await run([
      makeFinding({ today: '824.60' }),
      makeFinding({ labels: { model: 'claude' }, today: '1' }),
    ]);
    // Assess
    expect(outcomes(doubled)).toEqual([
      'oncall/slack escalated delivered',
      'oncall/sns escalated delivered',
      'owners/slack escalated delivered',
    ]);
    expect(outcomes(grown)).toEqual([
      'oncall/slack new-in-group delivered',
      'oncall/sns new-in-group delivered',
      'owners/slack new-in-group delivered',
    ]);
    // oncall repeats after its 1d; owners repeat by severity (a page: daily), a warning only after 7 days.
    expect(outcomes(repeated)).toEqual([
      'oncall/slack repeat-elapsed delivered',
      'oncall/sns repeat-elapsed delivered',
      'owners/slack repeat-elapsed delivered',
    ]);
    const warning = [
      makeFinding({ rule: 'verbose-output', severity: 'warning', labels: { workload: 'w2' } }),
    ];
    await run(warning);
    clock.advance(6 * DAY_MS);
    expect(outcomes(await run(warning))).toEqual(['owners/slack none suppressed']);
    clock.advance(DAY_MS);
    expect(outcomes(await run(warning))).toEqual(['owners/slack repeat-elapsed delivered']);
  });

  it('dry run decides and renders, but claims, sends and records nothing', async () => {
    // Act
    const report = await run([makeFinding()], { dryRun: true });
    // Assess
    expect(outcomes(report)).toEqual([
      'oncall/slack first dry-run',
      'oncall/sns first dry-run',
      'owners/slack first dry-run',
    ]);
    expect(report.entries[0]?.delivery?.kind).toBe('slack');
    expect(report.entries.map((e) => e.destination)).toEqual([
      'slack:#bedrock-oncall',
      'sns:arn:aws:sns:us-east-1:111111111111:bedrock-pages.fifo',
      'slack:#ml-platform',
    ]);
    expect(slack.sent).toHaveLength(0);
    expect(sns.sent).toHaveLength(0);
    expect(log.entries.size).toBe(0);
    expect(log.ops).toEqual([]);
  });

  it('retryable: releases the claim and reports a retry; the next run sends only what failed', async () => {
    // Prepare
    sns.script({ status: 'retryable', error: 'HTTP 500', retryAfterMs: undefined });
    // Act
    const first = await run([makeFinding()]);
    const second = await run([makeFinding()]);
    // Assess
    expect(outcomes(first)).toEqual([
      'oncall/slack first delivered',
      'oncall/sns first retry',
      'owners/slack first delivered',
    ]);
    expect(first.retryNeeded).toBe(true);
    expect(outcomes(second)).toEqual([
      'oncall/slack none suppressed',
      'oncall/sns first delivered',
      'owners/slack none suppressed',
    ]);
    expect(second.retryNeeded).toBe(false);
    expect(slack.sent).toHaveLength(2);
    expect(sns.sent).toHaveLength(2);
  });

  it('retryable after an earlier send restores the earlier record', async () => {
    // Prepare
    await run([makeFinding()]);
    const before = structuredClone([...log.entries.values()].find((e) => e.receiver === 'oncall/sns')!);
    sns.script({ status: 'retryable', error: 'throttled' });
    // Act
    await run([makeFinding({ severity: 'page', today: '2000' })]);
    // Assess
    const after = [...log.entries.values()].find((e) => e.receiver === 'oncall/sns')!;
    expect({ ...after, version: 0 }).toEqual({ ...before, version: 0 });
    expect(after.version).toBeGreaterThan(before.version);
  });

  it('rejected: released and reported, counted, not retried', async () => {
    // Prepare
    slack.script({ status: 'rejected', error: 'channel_not_found' });
    // Act
    const report = await run([makeFinding({ severity: 'warning' })]);
    // Assess
    expect(outcomes(report)).toEqual(['owners/slack first rejected']);
    expect(report.entries[0]?.error).toBe('channel_not_found');
    expect(report.metrics.NotificationRejected).toBe(1);
    expect(report.retryNeeded).toBe(false);
    expect(log.entries.size).toBe(0);
  });

  it('unknown (timeout after write) and a throwing notifier are recorded as sent: never sent twice', async () => {
    // Prepare
    slack.script({ status: 'unknown', error: 'timeout' }, new Error('socket exploded'));
    // Act
    const first = await run([makeFinding()]);
    const second = await run([makeFinding()]);
    // Assess
    expect(outcomes(first)).toEqual([
      'oncall/slack first unknown',
      'oncall/sns first delivered',
      'owners/slack first unknown',
    ]);
    expect(first.entries[2]?.error).toContain('socket exploded');
    expect(first.metrics.NotificationOutcomeUnknown).toBe(2);
    expect(outcomes(second).every((o) => o.endsWith('suppressed'))).toBe(true);
  });

  it('two concurrent runs over the same findings send each message exactly once', async () => {
    // Prepare: a slow notifier keeps the first run's claims in flight while the second decides.
    slack = new FakeNotifier(20);
    sns = new FakeNotifier(20);
    const findings = [makeFinding()];
    // Act
    const [a, b] = await Promise.all([run(findings), run(findings)]);
    // Assess
    expect(slack.sent).toHaveLength(2);
    expect(sns.sent).toHaveLength(1);
    const all = [...a.entries, ...b.entries];
    expect(all.filter((e) => e.outcome === 'delivered')).toHaveLength(3);
    const others = all.filter((e) => e.outcome !== 'delivered');
    expect(others).toHaveLength(3);
    expect(others.every((e) => e.outcome === 'held' || e.outcome === 'suppressed')).toBe(true);
  });

  it('a stale claim (sender died) counts as sent once its lease runs out; an escalation takes it over', async () => {
    // Prepare: a run claimed and died before commit.
    await log.claim({
      receiver: 'oncall/sns',
      groupKey: (await run([makeFinding()], { dryRun: true })).entries[1]!.groupKey,
      expectedVersion: null,
      claimedAtMs: NOW,
      leaseUntilMs: NOW + 60_000,
      firingFingerprints: [conditionKey(makeFinding())],
      maxSeverity: 'page',
      amount: '412.3',
      expiresAtEpochSec: (NOW + 2 * DAY_MS) / 1000,
    });
    // Act
    const during = await run([makeFinding()]);
    clock.advance(61_000);
    const after = await run([makeFinding()]);
    const escalated = await run([makeFinding({ today: '1000' })]);
    // Assess
    expect(during.entries[1]).toMatchObject({ reason: 'in-flight', outcome: 'suppressed' });
    expect(after.entries[1]).toMatchObject({ reason: 'none', outcome: 'suppressed' });
    expect(escalated.entries[1]).toMatchObject({ reason: 'escalated', outcome: 'delivered' });
    expect(sns.sent).toHaveLength(1);
  });

  it('silences (config or store) and inhibition mute; expired silences are reported', async () => {
    // Prepare
    const store: SilenceStore = {
      list: async () => [
        compileSilence({
          matchers: ['workload="support-bot"'],
          starts_at: '2026-06-16T00:00:00Z',
          ends_at: '2026-06-17T00:00:00Z',
          created_by: 'bob',
          comment: 'known',
          id: 'live',
        }),
        compileSilence({
          matchers: ['workload="x"'],
          starts_at: '2026-05-01T00:00:00Z',
          ends_at: '2026-05-02T00:00:00Z',
          created_by: 'bob',
          comment: 'old',
          id: 'dead',
        }),
      ],
      put: async () => undefined,
      expire: async () => false,
    };
    // Act
    const report = await run([makeFinding()], { silences: store });
    // Assess
    expect(outcomes(report)).toEqual(['oncall/slack - muted', 'oncall/sns - muted', 'owners/slack - muted']);
    expect(report.entries[0]?.muted).toEqual([
      { fingerprint: conditionKey(makeFinding()), cause: { kind: 'silenced', silenceId: 'live' } },
    ]);
    expect(report.expiredSilenceIds).toEqual(['dead']);
    expect(slack.sent).toHaveLength(0);
  });

  it('owner channel that cannot be resolved is rejected before any claim', async () => {
    // Act
    const report = await run([
      makeFinding({ severity: 'warning', labels: { workload: 'orphan', team: 'nobody' } }),
    ]);
    // Assess
    expect(outcomes(report)).toEqual(['owners/slack first rejected']);
    expect(report.entries[0]?.error).toMatchInlineSnapshot(
      `"cannot resolve {{owner.channel}}: no owner found (add the workload to owners.workloads), and no fallback_channel is set"`,
    );
    expect(log.ops).toEqual([]);
  });

  it('a missing notifier is rejected without claiming', async () => {
    // Act
    const report = await notify(
      { findings: [makeFinding({ severity: 'warning' })], alerting },
      { log, notifiers: {}, clock },
    );
    // Assess
    expect(report.entries.map((e) => [e.outcome, e.error])).toEqual([
      ['rejected', 'no slack notifier is configured'],
    ]);
    expect(log.ops).toEqual([]);
  });

  it('a commit that fails after a delivery is reported; the CLAIMED record counts as sent after its lease', async () => {
    // Prepare
    const failingCommit = Object.assign(log, {
      commit: async () => {
        throw new Error('table unavailable');
      },
    });
    // Act
    const first = await notify(
      { findings: [makeFinding({ severity: 'warning' })], alerting },
      { log: failingCommit, notifiers: { slack }, clock },
    );
    clock.advance(10 * 60_000);
    const second = await notify(
      { findings: [makeFinding({ severity: 'warning' })], alerting },
      { log: failingCommit, notifiers: { slack }, clock },
    );
    // Assess
    expect(first.entries[0]).toMatchObject({
      outcome: 'delivered',
      commitProblem: 'commit failed: table unavailable',
    });
    expect(second.entries[0]).toMatchObject({ reason: 'none', outcome: 'suppressed' });
    expect(slack.sent).toHaveLength(1);
  });

  it('a log that cannot be read sends nothing for that group and reports the error', async () => {
    // Prepare
    log.get = async () => {
      throw new Error('ECONNRESET');
    };
    // Act
    const report = await run([makeFinding({ severity: 'warning' })]);
    // Assess
    expect(report.entries.map((e) => [e.outcome, e.error])).toEqual([
      ['error', 'notification log read failed: ECONNRESET'],
    ]);
    expect(report.metrics.NotificationStoreErrors).toBe(1);
    expect(slack.sent).toHaveLength(0);
  });
});
