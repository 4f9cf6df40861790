import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleNotifier } from '../../src/adapters/console/console-notifier.js';
import { LocalNotificationLog } from '../../src/adapters/local-fs/notification-log.js';
import { findingsWithState } from '../../src/app/findings-source.js';
import type { NotificationDelivery, Notifier, SendOutcome } from '../../src/app/ports/alerting.js';
import type { ReportSlackDelivery, ReportSlackPublisher, ReportWriter } from '../../src/app/ports/reports.js';
import { sendWeeklyDigest, type WeeklyDigestDeps } from '../../src/app/weekly-digest.js';
import { compileAlerting } from '../../src/core/alerting/alerting-spec.js';
import { planNotifications } from '../../src/core/alerting/plan.js';
import type { ReceiverSpec } from '../../src/core/alerting/receivers.js';
import type { DigestOptions } from '../../src/core/digest/weekly-digest.js';
import { conditionKey, findingFingerprint } from '../../src/core/keys.js';
import { formatMoney, parseMoney } from '../../src/core/money.js';
import type { ReportFile } from '../../src/core/report/report-artifacts.js';
import type { Finding } from '../../src/core/rules/finding.js';
import { isoWeekDays } from '../../src/core/time/iso-week.js';
import { dfact, generateFacts, memoryFactStore } from '../helpers/digest-facts.js';

const OPTIONS: DigestOptions = {
  unallocated: 'split',
  topWorkloads: 5,
  topMovers: 5,
  costMetric: 'unblended',
  finalAfterHours: 48,
};

const RECEIVERS: ReceiverSpec[] = [
  {
    name: 'finance',
    slack: { channel: '#finops', token_env: 'SLACK_BOT_TOKEN' },
    sns: { topic_arn: 'arn:aws:sns:us-east-1:111111111111:finance' },
  },
  { name: 'archive', console: {} },
];

function memoryWriter(): ReportWriter & { files: Map<string, ReportFile> } {
  const files = new Map<string, ReportFile>();
  return {
    files,
    write: async (file) => {
      files.set(file.name, file);
      return `/mem/${file.name}`;
    },
  };
}

function fakeSlack(outcome: SendOutcome = { status: 'delivered', messageId: '1.0001' }) {
  const calls: ReportSlackDelivery[] = [];
  const publisher: ReportSlackPublisher = {
    async publish(delivery) {
      calls.push(delivery);
      return outcome;
    },
  };
  return { calls, publisher };
}

function fakeSns() {
  const calls: Extract<NotificationDelivery, { kind: 'sns' }>[] = [];
  const notifier: Notifier<'sns'> = {
    async send(delivery) {
      calls.push(delivery);
      return { status: 'delivered', messageId: `sns-${calls.length}` };
    },
  };
  return { calls, notifier };
}

describe('sendWeeklyDigest', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'digest-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function deps(extra: Partial<WeeklyDigestDeps> & Pick<WeeklyDigestDeps, 'store'>): WeeklyDigestDeps {
    return {
      log: new LocalNotificationLog({ path: join(dir, 'state', 'notification-log.json') }),
      clock: () => new Date('2026-07-09T08:00:00Z'),
      writer: memoryWriter(),
      console: new ConsoleNotifier({ defaultDir: join(dir, 'notifications') }),
      ...extra,
    };
  }

  it('uses the restated prior month for a week spanning two billing periods', async () => {
    // 2026-W27 is Mon 29 Jun – Sun 5 Jul: two billing periods.
    const june = generateFacts('2026-06-01', '2026-06-30', 1, () => 'june-v1');
    const july = generateFacts('2026-07-01', '2026-07-08', 2, () => 'july-v1');
    const store = memoryFactStore([...june, ...july], '2026-07-08T23:00:00Z');
    const writer = memoryWriter();
    const first = await sendWeeklyDigest(
      { week: '2026-W27', options: OPTIONS, sendPartialWeeks: false, receivers: [], send: false },
      deps({ store, writer }),
    );
    // AWS restates June: a different snapshot with changed costs and a refund on 30 June.
    const restated = generateFacts('2026-06-01', '2026-06-30', 3, () => 'june-v2');
    restated.push(
      dfact({
        usageDate: '2026-06-30',
        snapshotId: 'june-v2',
        lineItemType: 'Refund',
        usageKind: 'other',
        model: 'none',
        cost: '-123.456789012345',
      }),
    );
    await store.replacePeriod('cur2', '2026-06', restated, {
      snapshotId: 'june-v2',
      newestUsageEnd: '2026-07-01T00:00:00Z',
    });
    const second = await sendWeeklyDigest(
      { week: '2026-W27', options: OPTIONS, sendPartialWeeks: false, receivers: [], send: false },
      deps({ store, writer }),
    );
    const days = isoWeekDays('2026-W27');
    const expected = [...restated, ...july]
      .filter((f) => days.includes(f.usageDate))
      .reduce((n, f) => n + f.costUnblended, 0n);
    expect(second.totals.thisWeek).toBe(formatMoney(expected as never));
    expect(second.totals.thisWeek).not.toBe(first.totals.thisWeek);
    expect(second.reconciliation.ok).toBe(true);
    expect(second.reconciliation.difference).toBe('0');
    expect(second.digest.sources.map((s) => `${s.billingPeriod}:${s.snapshotId}`)).toEqual([
      '2026-06:june-v2',
      '2026-07:july-v1',
    ]);
    // The restated snapshot's older watermark does not pull the completeness watermark back.
    expect(second.digest.window.asOf).toBe('2026-07-08T23:00:00.000Z');
    expect(second.digest.window.month).toBe('2026-07');
    // Month to date is July only.
    const julyMtd = july.filter((f) => f.usageDate <= '2026-07-05').reduce((n, f) => n + f.costUnblended, 0n);
    expect(second.totals.monthToDate).toBe(formatMoney(julyMtd as never));
    const csv = writer.files.get('bedrock-chargeback-2026-W27.csv')!.content;
    expect(csv.split('\n')[0]).toContain('this_week_usd');
  });

  it('sends once per receiver and week; a --send re-run is a no-op', async () => {
    const store = memoryFactStore(generateFacts('2026-05-20', '2026-06-12'), '2026-06-12T23:00:00Z');
    const slack = fakeSlack();
    const sns = fakeSns();
    const d = deps({ store, slack: slack.publisher, sns: sns.notifier });
    const input = {
      week: '2026-W23',
      options: OPTIONS,
      sendPartialWeeks: false,
      receivers: RECEIVERS,
      send: true,
    };
    const first = await sendWeeklyDigest(input, d);
    expect(first.deliveries.map((e) => `${e.receiver}/${e.integration}:${e.outcome}`)).toEqual([
      'finance/slack:delivered',
      'finance/sns:delivered',
      'archive/console:delivered',
    ]);
    expect(slack.calls).toHaveLength(1);
    expect(slack.calls[0]!.channel).toBe('#finops');
    expect(slack.calls[0]!.file.name).toBe('bedrock-chargeback-2026-W23.csv');
    expect(slack.calls[0]!.message.blocks.length).toBeLessThanOrEqual(50);
    expect(sns.calls[0]!.message.subject).toMatch(/^Bedrock chargeback 2026-W23: \$[\d,.]+ /);
    expect(sns.calls[0]!.message.message).toContain('Σ Bedrock cost for 2026-W23');
    const sent = await readFile(join(dir, 'notifications', 'sent.jsonl'), 'utf8');
    expect(sent.trim().split('\n')).toHaveLength(1);

    const again = await sendWeeklyDigest(input, d);
    expect(again.deliveries.map((e) => e.outcome)).toEqual(['already-sent', 'already-sent', 'already-sent']);
    expect(slack.calls).toHaveLength(1);
    expect(sns.calls).toHaveLength(1);
    expect(
      (await readFile(join(dir, 'notifications', 'sent.jsonl'), 'utf8')).trim().split('\n'),
    ).toHaveLength(1);

    // Another week is another report.
    const next = await sendWeeklyDigest({ ...input, week: '2026-W22' }, d);
    expect(next.deliveries.every((e) => e.outcome === 'delivered')).toBe(true);
    expect(slack.calls).toHaveLength(2);
  });

  it('defers a week that is not final, then sends it once it is', async () => {
    const store = memoryFactStore(generateFacts('2026-05-20', '2026-06-09'), '2026-06-08T00:00:00Z');
    const sns = fakeSns();
    const input = {
      week: '2026-W23',
      options: OPTIONS,
      sendPartialWeeks: false,
      receivers: [RECEIVERS[0]!],
      send: true,
    };
    const early = await sendWeeklyDigest(
      input,
      deps({ store, sns: sns.notifier, slack: fakeSlack().publisher }),
    );
    expect(early.complete).toBe(false);
    expect(early.deliveries.map((e) => e.outcome)).toEqual(['deferred', 'deferred']);
    expect(early.files.map((f) => f.name)).toContain('bedrock-chargeback-2026-W23.html');
    expect(sns.calls).toHaveLength(0);

    await store.replacePeriod('cur2', '2026-06', generateFacts('2026-06-01', '2026-06-11'), {
      snapshotId: 'later',
      newestUsageEnd: '2026-06-11T00:00:00Z',
    });
    const later = await sendWeeklyDigest(
      input,
      deps({ store, sns: sns.notifier, slack: fakeSlack().publisher }),
    );
    expect(later.complete).toBe(true);
    expect(later.deliveries.map((e) => e.outcome)).toEqual(['delivered', 'delivered']);
  });

  it('releases the claim when a send certainly failed, so the next run sends', async () => {
    const store = memoryFactStore(generateFacts('2026-05-20', '2026-06-12'), '2026-06-12T23:00:00Z');
    const input = {
      week: '2026-W23',
      options: OPTIONS,
      sendPartialWeeks: false,
      receivers: [{ name: 'finance', slack: { channel: '#finops' } }],
      send: true,
    };
    const failing = fakeSlack({ status: 'retryable', error: 'HTTP 503', retryAfterMs: 1000 });
    const first = await sendWeeklyDigest(input, deps({ store, slack: failing.publisher }));
    expect(first.deliveries[0]!.outcome).toBe('retry');
    const working = fakeSlack();
    const second = await sendWeeklyDigest(input, deps({ store, slack: working.publisher }));
    expect(second.deliveries[0]!.outcome).toBe('delivered');
    expect(working.calls).toHaveLength(1);
    // An unknown outcome (may have been posted) is recorded as sent and never repeated.
    const unknown = fakeSlack({ status: 'unknown', error: 'socket hang up' });
    const w22 = await sendWeeklyDigest(
      { ...input, week: '2026-W22' },
      deps({ store, slack: unknown.publisher }),
    );
    expect(w22.deliveries[0]!.outcome).toBe('unknown');
    const w22again = await sendWeeklyDigest(
      { ...input, week: '2026-W22' },
      deps({ store, slack: working.publisher }),
    );
    expect(w22again.deliveries[0]!.outcome).toBe('already-sent');
  });

  it('rejects an owner-template channel without a fallback, and dry-runs without --send', async () => {
    const store = memoryFactStore(generateFacts('2026-05-20', '2026-06-12'), '2026-06-12T23:00:00Z');
    const receivers: ReceiverSpec[] = [{ name: 'owners', slack: { channel: '{{owner.channel}}' } }];
    const report = await sendWeeklyDigest(
      { week: '2026-W23', options: OPTIONS, sendPartialWeeks: false, receivers, send: true },
      deps({ store, slack: fakeSlack().publisher }),
    );
    expect(report.deliveries[0]!.outcome).toBe('rejected');
    const dry = await sendWeeklyDigest(
      { week: '2026-W23', options: OPTIONS, sendPartialWeeks: false, receivers: RECEIVERS, send: false },
      deps({ store }),
    );
    expect(dry.deliveries.every((e) => e.outcome === 'dry-run')).toBe(true);
  });

  it('lists the week’s anomalies with their state', async () => {
    const store = memoryFactStore(generateFacts('2026-05-20', '2026-06-12'), '2026-06-12T23:00:00Z');
    const finding = (day: string, workload: string, provisional = false): Finding => {
      const labels = { workload, model: 'm', team: 't', cost_center: 'c', account: '1', environment: 'prod' };
      return {
        rule: 'spend-spike',
        name: 'spend-spike',
        day,
        severity: 'page',
        provisional,
        labels,
        figures: { today: parseMoney('300'), baseline: parseMoney('50'), ratio: 6, delta: parseMoney('250') },
        why: [`${workload} spend rose 6×`],
        contributors: [],
        fingerprint: findingFingerprint({ rule: 'spend-spike', day, labels }),
      };
    };
    const findings = [
      finding('2026-06-03', 'support-bot'),
      finding('2026-06-07', 'code-review', true),
      finding('2026-05-30', 'old'),
    ];
    const alerting = compileAlerting({
      routes: { receiver: 'archive', group_by: ['workload'], repeat_interval: '4h', routes: [] },
      receivers: [{ name: 'archive', console: {} }],
      owners: { teams: {}, workloads: {} },
      silences: [],
      inhibit_rules: [],
    });
    const log = new LocalNotificationLog({ path: join(dir, 'state', 'log.json') });
    // support-bot's page was already sent.
    const groupKey = planNotifications({ findings, alerting, nowMs: 0 }).find(
      (g) => g.groupLabels.workload === 'support-bot',
    )!.groupKey;
    const claim = await log.claim({
      receiver: 'archive/console',
      groupKey,
      expectedVersion: null,
      claimedAtMs: 0,
      leaseUntilMs: 1,
      // The log records conditions (rule + labels without the day) and when their firing began.
      firingFingerprints: [conditionKey(findings[0]!)],
      firingSince: { [conditionKey(findings[0]!)]: '2026-05-25' },
      maxSeverity: 'page',
      amount: '300',
      expiresAtEpochSec: 4_000_000_000,
    });
    expect(claim.ok).toBe(true);
    const states = await findingsWithState({
      findings,
      alerting,
      log,
      nowMs: Date.parse('2026-06-12T00:00:00Z'),
    });
    const report = await sendWeeklyDigest(
      { week: '2026-W23', options: OPTIONS, sendPartialWeeks: false, receivers: [], send: false },
      deps({ store, findings: { findings: async () => states } }),
    );
    expect(report.digest.anomalies.map((a) => `${a.day} ${a.workload} ${a.state}`)).toEqual([
      '2026-06-03 support-bot notified',
      '2026-06-07 code-review provisional',
    ]);
    // The whole week is final (data through 06-12 23:00), so conditions are judged as of 06-07. A spike
    // resolves after one quiet final day: support-bot's (last found 06-03) has ended; code-review's, found on
    // 06-07, is open, 1 day old.
    expect(
      report.digest.openConditions.map(
        (c) => `${c.workload} since ${c.since} ${c.ageDays}d last ${c.lastFound}`,
      ),
    ).toEqual(['code-review since 2026-06-07 1d last 2026-06-07']);
  });

  it('lists open conditions with their age from the notification log', async () => {
    const store = memoryFactStore(generateFacts('2026-05-20', '2026-06-12'), '2026-06-12T23:00:00Z');
    const labels = {
      workload: 'etl',
      model: 'm',
      team: 't',
      cost_center: 'c',
      account: '1',
      environment: 'prod',
    };
    const finding = (day: string): Finding => ({
      rule: 'dev-in-prod',
      name: 'dev-in-prod',
      day,
      severity: 'warning',
      provisional: false,
      labels,
      figures: { today: parseMoney('40'), baseline: parseMoney('0'), ratio: null, delta: parseMoney('40') },
      why: ['dev traffic in prod'],
      contributors: [],
      fingerprint: findingFingerprint({ rule: 'dev-in-prod', day, labels }),
    });
    const days = ['2026-06-01', '2026-06-02', '2026-06-03', '2026-06-04', '2026-06-05', '2026-06-06'];
    const report = await sendWeeklyDigest(
      { week: '2026-W23', options: OPTIONS, sendPartialWeeks: false, receivers: [], send: false },
      deps({
        store,
        findings: {
          findings: async () =>
            days.map((day) => ({ finding: finding(day), state: 'notified', conditionSince: '2026-05-15' })),
        },
      }),
    );
    expect(report.digest.openConditions).toMatchObject([
      { workload: 'etl', rule: 'dev-in-prod', since: '2026-05-15', lastFound: '2026-06-06', ageDays: 24 },
    ]);
    expect(report.digest.openConditions[0]!.amount).toBe(parseMoney('40'));
  });
});
