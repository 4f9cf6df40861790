import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { AlertingConfigSchema } from '../../../src/config/alerting-schema.js';
import { compileAlerting } from '../../../src/core/alerting/alerting-spec.js';

const example = `
routes:
  receiver: finops
  routes:
    - matchers: ['severity="page"']
      receiver: oncall
      continue: true
      repeat_interval: 7d
    - matchers: ['rule=~"verbose-output|cache-regression|model-mix-shift"']
      receiver: owners
receivers:
  - name: oncall
    slack: { channel: '#bedrock-oncall' }
    sns: { topic_arn: 'arn:aws:sns:us-east-1:111111111111:bedrock-pages.fifo' }
  - name: owners
    slack: { channel: '{{owner.channel}}', fallback_channel: '#finops' }
  - name: finops
    slack: { channel: '#finops', token_env: 'ssm:/bedrock-cost/slack-token' }
owners:
  teams:
    ml-platform: { slack_channel: '#ml-platform-alerts', mention: S0123ABCD }
  workloads:
    support-bot: { team: ml-platform }
silences:
  - matchers: ['workload="load-test"']
    starts_at: '2026-06-01T00:00:00Z'
    ends_at: '2026-06-08T00:00:00Z'
    created_by: alice
    comment: planned load test
`;

const issues = (raw: unknown) => {
  const result = AlertingConfigSchema.safeParse(raw);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('AlertingConfigSchema', () => {
  it('parses the documented example and compiles it', () => {
    // Act
    const config = AlertingConfigSchema.parse(parseYaml(example));
    const compiled = compileAlerting(config);
    // Assess
    expect(config.routes.group_by).toEqual(['workload']);
    expect(config.routes.repeat_interval).toBeUndefined();
    expect(compiled.routeTree.repeatBySeverityMs).toEqual({
      page: 86_400_000,
      warning: 7 * 86_400_000,
      info: 30 * 86_400_000,
    });
    expect(compiled.routeTree.routes[0]!.repeatIntervalMs).toBe(7 * 86_400_000);
    expect(config.receivers[1]?.slack?.token_env).toBe('SLACK_BOT_TOKEN');
    expect(config.inhibit_rules).toHaveLength(1);
    expect(compiled.routeTree.routes.map((r) => r.receiver)).toEqual(['oncall', 'owners']);
    expect(compiled.silences[0]?.startsAtMs).toBe(Date.parse('2026-06-01T00:00:00Z'));
  });

  it('defaults to one console receiver when nothing is configured', () => {
    expect(AlertingConfigSchema.parse({})).toMatchInlineSnapshot(`
      {
        "inhibit_rules": [
          {
            "equal": [
              "workload",
              "day",
            ],
            "source_matchers": [
              "rule="spend-spike"",
              "severity="page"",
            ],
            "target_matchers": [
              "severity=~"warning|info"",
            ],
          },
        ],
        "owners": {
          "teams": {},
          "workloads": {},
        },
        "receivers": [
          {
            "console": {
              "dir": "out/notifications",
            },
            "name": "console",
          },
        ],
        "routes": {
          "group_by": [
            "workload",
          ],
          "receiver": "console",
          "routes": [],
        },
        "silences": [],
      }
    `);
  });

  it('takes repeat intervals by severity and send_resolved per integration', () => {
    const config = AlertingConfigSchema.parse({
      routes: { receiver: 'pager', repeat_interval_by_severity: { warning: '3d' } },
      receivers: [
        { name: 'pager', sns: { topic_arn: 'arn:aws:sns:us-east-1:111111111111:p', send_resolved: false } },
      ],
    });
    const compiled = compileAlerting(config);
    expect(compiled.routeTree.repeatBySeverityMs).toEqual({
      page: 86_400_000,
      warning: 3 * 86_400_000,
      info: 30 * 86_400_000,
    });
    expect(config.receivers[0]?.sns?.send_resolved).toBe(false);
    expect(
      issues({ routes: { receiver: 'x', repeat_interval_by_severity: { critical: '1d' } } }),
    ).toContainEqual(expect.stringContaining('routes.repeat_interval_by_severity'));
  });

  it('reports typos, bad matchers, unknown receivers and owner references with their paths', () => {
    expect(
      issues({
        routes: {
          receiver: 'finops',
          routes: [{ matchers: ['severity=="page"'], reciever: 'x' }, { receiver: 'nobody' }],
        },
        receivers: [
          { name: 'finops', slack: { channel: 'Not A Channel' } },
          { name: 'finops', console: {} },
          { name: 'empty' },
        ],
        owners: { teams: {}, workloads: { 'support-bot': { team: 'ghost' } } },
        silences: [
          {
            matchers: ['a="b"'],
            starts_at: '2026-06-02T00:00:00Z',
            ends_at: '2026-06-01T00:00:00Z',
            created_by: 'x',
            comment: 'y',
          },
        ],
        inhibit_rules: [
          { source_matchers: ['rule="spend-spike"'], target_matchers: ['x=~"("'], equal: ['workload'] },
        ],
      }),
    ).toMatchInlineSnapshot(`
      [
        "routes.routes.0.matchers.0: invalid matcher "severity=="page"": unterminated or malformed quoted value",
        "routes.routes.0: Unrecognized key: "reciever"",
        "receivers.0.slack.channel: a channel name (#alerts) or id (C0123ABCD)",
        "receivers.2: a receiver needs at least one of slack, sns, console",
        "owners.workloads.support-bot.team: team "ghost" is not in owners.teams",
        "silences.0.ends_at: ends_at must be after starts_at",
        "inhibit_rules.0.target_matchers.0: invalid matcher "x=~"("": bad regular expression (Invalid regular expression: /^(?:()$/s: Unterminated group)",
        "receivers.1.name: duplicate receiver "finops"",
        "routes.routes.1.receiver: receiver "nobody" is not defined; defined: finops, empty",
      ]
    `);
  });

  it('rejects a root route with matchers and a group_by mixing "..." with names', () => {
    expect(
      issues({ routes: { receiver: 'console', matchers: ['a="b"'], group_by: ['...', 'workload'] } }),
    ).toMatchInlineSnapshot(`
      [
        "routes.group_by: "..." must be the only entry",
        "routes: Unrecognized key: "matchers"",
      ]
    `);
  });
});
