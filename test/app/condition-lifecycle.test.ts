// Issue 12: one alert per condition. Replays a month of daily scheduled runs (each at 06:00 the next morning,
// evaluating the 14 days up to the day before, the newest two provisional) through notify() and the real
// notification-log protocol, and checks what each receiver gets.
import { beforeEach, describe, expect, it } from 'vitest';
import { type NotifyReport, notify } from '../../src/app/notify.js';
import type { ConditionAck, ConditionAckStore } from '../../src/app/ports/alerting.js';
import type { CompiledAlerting } from '../../src/core/alerting/alerting-spec.js';
import { conditionKey } from '../../src/core/keys.js';
import type { Finding } from '../../src/core/rules/finding.js';
import { addDays, daysBetween } from '../../src/core/time/days.js';
import { alertingFrom, makeFinding } from '../unit/core/alerting/fixtures.js';
import { FakeNotificationLog, FakeNotifier } from './fakes.js';

const RECEIVERS = [
  { name: 'owners', slack: { channel: '#team-etl' } },
  { name: 'pager', sns: { topic_arn: 'arn:aws:sns:us-east-1:111111111111:pages' } },
];
const lifecycleAlerting = alertingFrom({
  routes: {
    receiver: 'owners',
    routes: [{ matchers: ['rule="dev-in-prod"'], receiver: 'pager', continue: true }, { receiver: 'owners' }],
  },
  receivers: RECEIVERS,
});
/** The configuration before conditions: one group per workload and day, repeat after 30 days. */
const perDayAlerting = alertingFrom({
  routes: {
    receiver: 'owners',
    group_by: ['workload', 'day'],
    repeat_interval: '30d',
    routes: [{ matchers: ['rule="dev-in-prod"'], receiver: 'pager', continue: true }, { receiver: 'owners' }],
  },
  receivers: RECEIVERS,
});

const devInProd = (day: string, today = '10.00') =>
  makeFinding({
    rule: 'dev-in-prod',
    severity: 'warning',
    day,
    today,
    baseline: '0',
    ratio: null,
    labels: { workload: 'etl', model: 'anthropic.claude-sonnet-4', environment: 'dev' },
    why: [`etl sent dev traffic into prod on ${day}`],
  });

interface Sent {
  run: string;
  to: string;
  reason: string;
}

describe('condition lifecycle over daily runs', () => {
  let log: FakeNotificationLog;
  let slack: FakeNotifier<'slack'>;
  let sns: FakeNotifier<'sns'>;

  beforeEach(() => {
    log = new FakeNotificationLog();
    slack = new FakeNotifier();
    sns = new FakeNotifier();
  });

  /** One scheduled run per day in [from, to]: findings of the 14 days up to `day`; the last two provisional. */
  async function replay(
    from: string,
    to: string,
    findingsOn: (day: string) => Finding[],
    options: { alerting?: CompiledAlerting; acks?: ConditionAckStore } = {},
  ): Promise<{ sent: Sent[]; reports: NotifyReport[] }> {
    const sent: Sent[] = [];
    const reports: NotifyReport[] = [];
    for (const run of daysBetween(from, to)) {
      const now = new Date(`${addDays(run, 1)}T06:00:00Z`);
      const lastFinalDay = addDays(run, -2);
      const findings = daysBetween(addDays(run, -13), run).flatMap((day) =>
        findingsOn(day).map((f) => ({ ...f, provisional: day > lastFinalDay })),
      );
      const report = await notify(
        { findings, alerting: options.alerting ?? lifecycleAlerting, conditions: { lastFinalDay } },
        { log, notifiers: { slack, sns }, clock: () => now, acks: options.acks },
      );
      reports.push(report);
      for (const e of report.entries) {
        if (e.outcome === 'delivered')
          sent.push({ run, to: `${e.receiver}/${e.integration}`, reason: e.reason! });
      }
    }
    return { sent, reports };
  }

  // dev-in-prod from the 15th to the 28th of June: 14 days with a finding.
  const ongoing = (day: string) => (day >= '2026-06-15' && day <= '2026-06-28' ? [devInProd(day)] : []);

  it('an ongoing dev-in-prod condition: one firing message, repeats by interval, one resolved — not one a day', async () => {
    const { sent } = await replay('2026-06-01', '2026-07-10', ongoing);
    const owners = sent.filter((s) => s.to === 'owners/slack');
    // A warning repeats every 7 days while it fires; dev-in-prod resolves after 3 quiet final days (06-29,
    // 06-30, 07-01: final on the run of 07-03).
    expect(owners).toEqual([
      { run: '2026-06-15', to: 'owners/slack', reason: 'first' },
      { run: '2026-06-22', to: 'owners/slack', reason: 'repeat-elapsed' },
      { run: '2026-06-29', to: 'owners/slack', reason: 'repeat-elapsed' },
      { run: '2026-07-03', to: 'owners/slack', reason: 'resolved' },
    ]);
    expect(sent.filter((s) => s.to === 'pager/sns').map((s) => s.reason)).toEqual([
      'first',
      'repeat-elapsed',
      'repeat-elapsed',
      'resolved',
    ]);
    // The resolved Slack message says so, and names the condition's last day.
    const resolvedSlack = slack.sent.at(-1)!;
    expect(resolvedSlack.message.text).toContain('Resolved: etl');
    expect(JSON.stringify(resolvedSlack.message.blocks)).toContain('last found 2026-06-28');
  });

  it('before conditions (groups per day) the same month sent one owner message per day of the condition', async () => {
    const { sent } = await replay('2026-06-01', '2026-07-10', ongoing, { alerting: perDayAlerting });
    const owners = sent.filter((s) => s.to === 'owners/slack');
    // Every day of the condition is a new group: 14 firing messages, one a day (and its last day's resolve).
    expect(owners.filter((s) => s.reason !== 'resolved').map((s) => s.run)).toEqual(
      daysBetween('2026-06-15', '2026-06-28'),
    );
    expect(owners.filter((s) => s.reason === 'resolved')).toHaveLength(1);
  });

  it('SNS: the resolve event closes the incident the trigger opened (same dedup key)', async () => {
    await replay('2026-06-01', '2026-07-10', ongoing);
    const bodies = sns.sent.map((d) => JSON.parse(d.message.message) as Record<string, unknown>);
    expect(bodies.map((b) => [b.event_action, b.status, b.action])).toEqual([
      ['trigger', 'firing', 'Create'],
      ['trigger', 'firing', 'Create'],
      ['trigger', 'firing', 'Create'],
      ['resolve', 'resolved', 'Close'],
    ]);
    expect(new Set(bodies.map((b) => b.dedup_key)).size).toBe(1);
    expect(sns.sent.at(-1)!.message.subject).toMatch(/^\[RESOLVED\] /);
    expect(sns.sent.at(-1)!.message.attributes.status).toBe('resolved');
  });

  it('a single-day spike is a condition that starts and resolves', async () => {
    const spike = makeFinding({ day: '2026-06-10', labels: { workload: 'search' } });
    const { sent } = await replay('2026-06-08', '2026-06-20', (day) => (day === '2026-06-10' ? [spike] : []));
    // Found on 06-10 (run of 06-10, provisional: a page is capped at warning), final and still a page on the
    // run of 06-12 (escalated to page), resolved once 06-11 is final (run of 06-13).
    expect(sent.filter((s) => s.to === 'owners/slack')).toEqual([
      { run: '2026-06-10', to: 'owners/slack', reason: 'first' },
      { run: '2026-06-12', to: 'owners/slack', reason: 'escalated' },
      { run: '2026-06-13', to: 'owners/slack', reason: 'resolved' },
    ]);
  });

  it('an acknowledged condition gets no repeats while it fires; resolved is still sent; a new firing notifies again', async () => {
    const acks: ConditionAck[] = [];
    const store: ConditionAckStore = {
      list: async () => [...acks],
      put: async (ack) => {
        acks.push(ack);
      },
    };
    // Acknowledged in Slack on 06-16 at noon, a day after the first message.
    await store.put({
      conditionKey: conditionKey(devInProd('2026-06-15')),
      acknowledgedBy: 'U0ALICE',
      acknowledgedAtMs: Date.parse('2026-06-16T12:00:00Z'),
    });
    const twice = (day: string) =>
      ongoing(day).length > 0 || (day >= '2026-07-20' && day <= '2026-07-22') ? [devInProd(day)] : [];
    const { sent, reports } = await replay('2026-06-01', '2026-07-25', twice, { acks: store });
    expect(sent.filter((s) => s.to === 'owners/slack')).toEqual([
      { run: '2026-06-15', to: 'owners/slack', reason: 'first' },
      { run: '2026-07-03', to: 'owners/slack', reason: 'resolved' },
      // The acknowledgement was for the June firing: July's is new.
      { run: '2026-07-20', to: 'owners/slack', reason: 'first' },
    ]);
    const suppressed = reports.flatMap((r) => r.entries).filter((e) => e.reason === 'acknowledged');
    expect(suppressed.length).toBeGreaterThan(0);
  });

  it('escalation: a condition at twice the amount last sent is sent again before its repeat interval', async () => {
    const growing = (day: string) =>
      day >= '2026-06-15' && day <= '2026-06-20'
        ? [devInProd(day, day >= '2026-06-18' ? '25.00' : '10.00')]
        : [];
    const { sent } = await replay('2026-06-14', '2026-06-21', growing);
    expect(sent.filter((s) => s.to === 'owners/slack')).toEqual([
      { run: '2026-06-15', to: 'owners/slack', reason: 'first' },
      { run: '2026-06-18', to: 'owners/slack', reason: 'escalated' },
    ]);
  });

  it('send_resolved: false records the end without a message, so the next firing is announced as new', async () => {
    const quiet = alertingFrom({
      routes: { receiver: 'owners' },
      receivers: [{ name: 'owners', slack: { channel: '#team-etl', send_resolved: false } }],
    });
    const twice = (day: string) =>
      (day >= '2026-06-15' && day <= '2026-06-16') || day === '2026-06-25' ? [devInProd(day)] : [];
    const { sent, reports } = await replay('2026-06-14', '2026-06-26', twice, { alerting: quiet });
    expect(sent.map((s) => [s.run, s.reason])).toEqual([
      ['2026-06-15', 'first'],
      ['2026-06-25', 'first'],
    ]);
    const recorded = reports.flatMap((r) => r.entries).filter((e) => e.outcome === 'recorded');
    expect(recorded.map((e) => e.reason)).toEqual(['resolved']);
    expect(slack.sent).toHaveLength(2);
  });
});
