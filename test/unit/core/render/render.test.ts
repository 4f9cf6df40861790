import { describe, expect, it } from 'vitest';
import { toAlert } from '../../../../src/core/alerting/alert.js';
import { renderConsoleText } from '../../../../src/core/render/console-text.js';
import type { NotificationContent } from '../../../../src/core/render/notification-content.js';
import { describeRedacted, redact } from '../../../../src/core/render/redact.js';
import { renderSlackMessage } from '../../../../src/core/render/slack-message.js';
import { renderSnsMessage, toSnsSubject } from '../../../../src/core/render/sns-message.js';
import { contributor, makeFinding } from '../alerting/fixtures.js';

const spike = makeFinding({
  contributors: [
    contributor('model', 'anthropic.claude-sonnet-4', '380.10', '80.00'),
    contributor('usage_kind', 'output', '290.00', '60.25'),
    contributor('iam_principal', 'role/support-bot-<prod>', '412.30', '100.56'),
  ],
});
const modelWarning = makeFinding({
  severity: 'warning',
  labels: { model: 'anthropic.claude-sonnet-4' },
  today: '380.10',
  baseline: '80.00',
  ratio: 4.75,
  why: ['support-bot on anthropic.claude-sonnet-4 spent $380.10'],
});

const content = (over: Partial<NotificationContent> = {}): NotificationContent => ({
  receiver: 'oncall/slack',
  groupKey: '{}/{severity="page"}:{"day":"2026-06-14","workload":"support-bot"}',
  groupLabels: { day: '2026-06-14', workload: 'support-bot' },
  alerts: [toAlert(spike), toAlert(modelWarning)],
  reason: 'first',
  owner: { team: 'ml-platform', slackChannel: '#ml-platform', mention: 'S0123ABCD' },
  ...over,
});

describe('renderSlackMessage', () => {
  it('headline with the figure and ratio, why, contributors, the rest of the group, owner mention', () => {
    expect(renderSlackMessage(content())).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "emoji": true,
              "text": ":rotating_light: support-bot Bedrock spend $412.30 on 2026-06-14 — 4.1× the previous day",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "text": {
              "text": "• support-bot spent $412.30 on 2026-06-14, 4.1× $100.56 on 2026-06-13 (+$311.74)",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*Top contributors*
      • model \`anthropic.claude-sonnet-4\`: $380.10 (+$300.10 vs $80.00)
      • usage_kind \`output\`: $290.00 (+$229.75 vs $60.25)
      • iam_principal \`role/support-bot-&lt;prod&gt;\`: $412.30 (+$311.74 vs $100.56)",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "text": {
              "text": "*Also in this group*
      • :warning: spend-spike · model \`anthropic.claude-sonnet-4\`: $380.10 (4.8×)",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "elements": [
              {
                "text": "Owner: <!subteam^S0123ABCD> · workload \`support-bot\` · team \`ml-platform\` · account \`111111111111\` · rule \`spend-spike\` · new",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
          {
            "block_id": "bc-actions",
            "elements": [
              {
                "action_id": "bc_ack",
                "style": "primary",
                "text": {
                  "emoji": true,
                  "text": "Acknowledge",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "[1,[["cond-51e7a95fcac7e39c7d3c0bc3","spend-spike",{"workload":"support-bot","model":"*","team":"ml-platform","cost_center":"cc-42","account":"111111111111","environment":"prod"}],["cond-c38ef9c1e3e5a994b1368115","spend-spike",{"workload":"support-bot","model":"anthropic.claude-sonnet-4","team":"ml-platform","cost_center":"cc-42","account":"111111111111","environment":"prod"}]]]",
              },
              {
                "action_id": "bc_snooze_1d",
                "text": {
                  "emoji": true,
                  "text": "Snooze 1 day",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "[1,[["cond-51e7a95fcac7e39c7d3c0bc3","spend-spike",{"workload":"support-bot","model":"*","team":"ml-platform","cost_center":"cc-42","account":"111111111111","environment":"prod"}],["cond-c38ef9c1e3e5a994b1368115","spend-spike",{"workload":"support-bot","model":"anthropic.claude-sonnet-4","team":"ml-platform","cost_center":"cc-42","account":"111111111111","environment":"prod"}]]]",
              },
              {
                "action_id": "bc_snooze_7d",
                "text": {
                  "emoji": true,
                  "text": "Snooze 7 days",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "[1,[["cond-51e7a95fcac7e39c7d3c0bc3","spend-spike",{"workload":"support-bot","model":"*","team":"ml-platform","cost_center":"cc-42","account":"111111111111","environment":"prod"}],["cond-c38ef9c1e3e5a994b1368115","spend-spike",{"workload":"support-bot","model":"anthropic.claude-sonnet-4","team":"ml-platform","cost_center":"cc-42","account":"111111111111","environment":"prod"}]]]",
              },
              {
                "action_id": "bc_not_anomaly",
                "style": "danger",
                "text": {
                  "emoji": true,
                  "text": "Not an anomaly",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "[1,[["cond-51e7a95fcac7e39c7d3c0bc3","spend-spike",{"workload":"support-bot","model":"*","team":"ml-platform","cost_center":"cc-42","account":"111111111111","environment":"prod"}],["cond-c38ef9c1e3e5a994b1368115","spend-spike",{"workload":"support-bot","model":"anthropic.claude-sonnet-4","team":"ml-platform","cost_center":"cc-42","account":"111111111111","environment":"prod"}]]]",
              },
            ],
            "type": "actions",
          },
        ],
        "text": ":rotating_light: support-bot Bedrock spend $412.30 on 2026-06-14 — 4.1× the previous day <!subteam^S0123ABCD>",
      }
    `);
  });

  it('provisional: banner, no page wording, severity capped', () => {
    // Prepare
    const provisional = makeFinding({ provisional: true, ratio: null, baseline: '0', why: ['new spend'] });
    // Act
    const message = renderSlackMessage(
      content({ alerts: [toAlert(provisional)], owner: { team: 'x', mention: 'U0456EFGH' } }),
    );
    // Assess
    expect(message).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "emoji": true,
              "text": ":warning: support-bot Bedrock spend $412.30 on 2026-06-14 — new spend (nothing the previous day)",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "elements": [
              {
                "text": ":hourglass_flowing_sand: *Provisional* — 2026-06-14 is not complete in CUR yet (tags and principals lag 24–48 h). Figures may change; this will not page.",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
          {
            "text": {
              "text": "• new spend",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "elements": [
              {
                "text": "Owner: <@U0456EFGH> · workload \`support-bot\` · team \`ml-platform\` · account \`111111111111\` · rule \`spend-spike\` · new",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
          {
            "block_id": "bc-actions",
            "elements": [
              {
                "action_id": "bc_ack",
                "style": "primary",
                "text": {
                  "emoji": true,
                  "text": "Acknowledge",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "[1,[["cond-51e7a95fcac7e39c7d3c0bc3","spend-spike",{"workload":"support-bot","model":"*","team":"ml-platform","cost_center":"cc-42","account":"111111111111","environment":"prod"}]]]",
              },
              {
                "action_id": "bc_snooze_1d",
                "text": {
                  "emoji": true,
                  "text": "Snooze 1 day",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "[1,[["cond-51e7a95fcac7e39c7d3c0bc3","spend-spike",{"workload":"support-bot","model":"*","team":"ml-platform","cost_center":"cc-42","account":"111111111111","environment":"prod"}]]]",
              },
              {
                "action_id": "bc_snooze_7d",
                "text": {
                  "emoji": true,
                  "text": "Snooze 7 days",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "[1,[["cond-51e7a95fcac7e39c7d3c0bc3","spend-spike",{"workload":"support-bot","model":"*","team":"ml-platform","cost_center":"cc-42","account":"111111111111","environment":"prod"}]]]",
              },
              {
                "action_id": "bc_not_anomaly",
                "style": "danger",
                "text": {
                  "emoji": true,
                  "text": "Not an anomaly",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "[1,[["cond-51e7a95fcac7e39c7d3c0bc3","spend-spike",{"workload":"support-bot","model":"*","team":"ml-platform","cost_center":"cc-42","account":"111111111111","environment":"prod"}]]]",
              },
            ],
            "type": "actions",
          },
        ],
        "text": ":warning: support-bot Bedrock spend $412.30 on 2026-06-14 — new spend (nothing the previous day) (provisional) <@U0456EFGH>",
      }
    `);
  });

  it('escapes label values that look like Slack markup', () => {
    const odd = makeFinding({ severity: 'warning', labels: { workload: 'a<b>&c', model: '<!channel>' } });
    const text = JSON.stringify(
      renderSlackMessage(content({ alerts: [toAlert(spike), toAlert(odd)] })).blocks,
    );
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('&lt;!channel&gt;');
  });
});

describe('renderSnsMessage', () => {
  it('ASCII subject, pager-friendly JSON body with dedup_key, filterable attributes', () => {
    // Act
    const sns = renderSnsMessage(content({ receiver: 'oncall/sns' }));
    // Assess
    expect({ ...sns, message: JSON.parse(sns.message) }).toMatchInlineSnapshot(`
      {
        "attributes": {
          "rule": "spend-spike",
          "severity": "page",
          "status": "firing",
          "workload": "support-bot",
        },
        "dedupKey": "a281fb9db8b60381f472d2c5f93149cc0014a00fe5d8649de6f7abf7e3a3658f",
        "deduplicationId": "32cf512a341a225b9b3a7a7ef62caa2cefcb3d2dd2e6395a78310b84fc4b1119",
        "message": {
          "action": "Create",
          "alias": "a281fb9db8b60381f472d2c5f93149cc0014a00fe5d8649de6f7abf7e3a3658f",
          "dedup_key": "a281fb9db8b60381f472d2c5f93149cc0014a00fe5d8649de6f7abf7e3a3658f",
          "description": "support-bot spent $412.30 on 2026-06-14, 4.1× $100.56 on 2026-06-13 (+$311.74)",
          "event_action": "trigger",
          "message": "support-bot Bedrock spend $412.30 on 2026-06-14 — 4.1× the previous day",
          "payload": {
            "class": "spend-spike",
            "component": "support-bot",
            "custom_details": {
              "findings": [
                {
                  "baseline_usd": "100.56",
                  "contributors": [
                    {
                      "baseline_usd": "80",
                      "delta_usd": "300.1",
                      "dimension": "model",
                      "today_usd": "380.1",
                      "value": "anthropic.claude-sonnet-4",
                    },
                    {
                      "baseline_usd": "60.25",
                      "delta_usd": "229.75",
                      "dimension": "usage_kind",
                      "today_usd": "290",
                      "value": "output",
                    },
                    {
                      "baseline_usd": "100.56",
                      "delta_usd": "311.74",
                      "dimension": "iam_principal",
                      "today_usd": "412.3",
                      "value": "role/support-bot-<prod>",
                    },
                  ],
                  "day": "2026-06-14",
                  "delta_usd": "311.74",
                  "fingerprint": "62bd400cdd48b280a5a39fde",
                  "labels": {
                    "account": "111111111111",
                    "cost_center": "cc-42",
                    "environment": "prod",
                    "model": "*",
                    "team": "ml-platform",
                    "workload": "support-bot",
                  },
                  "name": "spend-spike",
                  "provisional": false,
                  "ratio": 4.1,
                  "rule": "spend-spike",
                  "severity": "page",
                  "today_usd": "412.3",
                  "why": [
                    "support-bot spent $412.30 on 2026-06-14, 4.1× $100.56 on 2026-06-13 (+$311.74)",
                  ],
                },
                {
                  "baseline_usd": "80",
                  "contributors": [],
                  "day": "2026-06-14",
                  "delta_usd": "300.1",
                  "fingerprint": "8a1b118b16b94ce755dfdb7b",
                  "labels": {
                    "account": "111111111111",
                    "cost_center": "cc-42",
                    "environment": "prod",
                    "model": "anthropic.claude-sonnet-4",
                    "team": "ml-platform",
                    "workload": "support-bot",
                  },
                  "name": "spend-spike",
                  "provisional": false,
                  "ratio": 4.75,
                  "rule": "spend-spike",
                  "severity": "warning",
                  "today_usd": "380.1",
                  "why": [
                    "support-bot on anthropic.claude-sonnet-4 spent $380.10",
                  ],
                },
              ],
              "firing_since": {},
              "group_key": "{}/{severity="page"}:{"day":"2026-06-14","workload":"support-bot"}",
              "group_labels": {
                "day": "2026-06-14",
                "workload": "support-bot",
              },
              "owner": {
                "team": "ml-platform",
              },
              "provisional": false,
              "reason": "first",
              "receiver": "oncall/sns",
              "resolved": [],
              "total_today_usd": "792.4",
            },
            "group": "ml-platform",
            "severity": "critical",
            "source": "bedrock-cost",
            "summary": "support-bot Bedrock spend $412.30 on 2026-06-14 — 4.1× the previous day",
          },
          "priority": "P1",
          "source": "bedrock-cost",
          "status": "firing",
          "tags": [
            "bedrock-cost",
            "spend-spike",
            "severity:page",
            "workload:support-bot",
          ],
          "version": 1,
        },
        "messageGroupId": "a281fb9db8b60381f472d2c5f93149cc0014a00fe5d8649de6f7abf7e3a3658f",
        "subject": "[PAGE] support-bot Bedrock spend $412.30 on 2026-06-14 - 4.1x the previous day",
      }
    `);
  });

  it('dedup key is per group; the FIFO dedup id changes when the content escalates', () => {
    const first = renderSnsMessage(content({ alerts: [toAlert(spike)] }));
    const again = renderSnsMessage(content({ alerts: [toAlert(spike)], reason: 'repeat-elapsed' }));
    const bigger = renderSnsMessage(content({ alerts: [toAlert(makeFinding({ today: '900' }))] }));
    expect(again.dedupKey).toBe(first.dedupKey);
    expect(again.deduplicationId).toBe(first.deduplicationId);
    expect(bigger.dedupKey).toBe(first.dedupKey);
    expect(bigger.deduplicationId).not.toBe(first.deduplicationId);
  });

  it('subjects are ASCII and at most 100 characters', () => {
    const subject = toSnsSubject(`[PAGE] ${'very-long-workload-name-'.repeat(6)} Bedrock spend $1.00 — 4.1×`);
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe('renderConsoleText', () => {
  it('plain text for files and dry runs', () => {
    expect(renderConsoleText(content({ receiver: 'local/console' }))).toMatchInlineSnapshot(`
      "[PAGE] support-bot Bedrock spend $412.30 on 2026-06-14 — 4.1× the previous day
      receiver: local/console · reason: new · owner: ml-platform
      group: {}/{severity="page"}:{"day":"2026-06-14","workload":"support-bot"}
      why:
        - support-bot spent $412.30 on 2026-06-14, 4.1× $100.56 on 2026-06-13 (+$311.74)
      contributors:
        - model anthropic.claude-sonnet-4: $380.10 (+$300.10 vs $80.00)
        - usage_kind output: $290.00 (+$229.75 vs $60.25)
        - iam_principal role/support-bot-<prod>: $412.30 (+$311.74 vs $100.56)
      findings:
        - page spend-spike 2026-06-14: $412.30 (4.1×) workload=support-bot model=* team=ml-platform cost_center=cc-42 account=111111111111 environment=prod
        - warning spend-spike 2026-06-14: $380.10 (4.8×) workload=support-bot model=anthropic.claude-sonnet-4 team=ml-platform cost_center=cc-42 account=111111111111 environment=prod
      "
    `);
  });
});

describe('redact', () => {
  const token = 'xoxb-1234567890-abcdefghijkl';
  it.each([
    { name: 'a known secret value', text: `token ${token} failed`, secrets: [token] },
    { name: 'a Slack-token-shaped string, unknown to the caller', text: `header had ${token}`, secrets: [] },
    {
      name: 'a URL-encoded secret',
      text: `body token=${encodeURIComponent('s3cr3t/with+chars')}`,
      secrets: ['s3cr3t/with+chars'],
    },
    {
      name: 'an incoming-webhook URL',
      text: 'POST https://hooks.slack.com/services/T000/B000/XXXXXXXX failed',
      secrets: [],
    },
    { name: 'an Authorization header', text: 'Authorization: Bearer abc.def-ghi', secrets: [] },
  ])('removes $name', ({ text, secrets }) => {
    const out = redact(text, secrets);
    expect(out).toContain('[REDACTED]');
    expect(out).not.toMatch(/xoxb-1234|s3cr3t|XXXXXXXX|abc\.def/);
  });

  it('redacts the whole cause chain of an error', () => {
    const error = new Error('request failed', { cause: new Error(`401 for Bearer ${token}`) });
    expect(describeRedacted(error, [token])).toMatchInlineSnapshot(
      `"Error: request failed <- Error: 401 for Bearer [REDACTED]"`,
    );
  });
});
