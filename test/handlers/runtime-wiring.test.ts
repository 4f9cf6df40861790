import { describe, expect, it, vi } from 'vitest';
import { parseConfigText } from '../../src/config/parse-config.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { compileAlerting } from '../../src/core/alerting/alerting-spec.js';
import { planNotifications } from '../../src/core/alerting/plan.js';
import type { Finding } from '../../src/core/rules/finding.js';
import { reportReceivers, withDeploymentAlerting } from '../../src/handlers/runtime/deployment-receivers.js';
import { createMetrics } from '../../src/handlers/runtime/observability.js';

const TOPIC = 'arn:aws:sns:us-east-1:111111111111:bedrock-cost-alerts';

function finding(severity: Finding['severity']): Finding {
  return {
    rule: 'spend-spike',
    name: 'spend-spike',
    day: '2026-10-11',
    severity,
    provisional: false,
    labels: {
      workload: 'search',
      model: '*',
      team: 'search',
      cost_center: 'cc-1',
      account: '111111111111',
      environment: 'prod',
    },
    figures: { today: 0n as never, baseline: 0n as never, ratio: null, delta: 0n as never },
    why: [],
    contributors: [],
    fingerprint: `fp-${severity}`,
  };
}

describe('deployment receivers', () => {
  it('without alerting config: pages to the topic and Slack, everything else to Slack', () => {
    // Prepare
    const config = withDeploymentAlerting(DEFAULT_CONFIG, {
      snsTopicArn: TOPIC,
      slackChannel: 'genai-costs',
    });
    const alerting = compileAlerting(config);

    // Act
    const receiversOf = (severity: Finding['severity']) =>
      planNotifications({ findings: [finding(severity)], alerting, extraSilences: [], nowMs: 0 })
        .map((g) => g.receiver)
        .sort();

    // Assert
    expect(receiversOf('page')).toEqual(['deployment-slack', 'deployment-sns']);
    expect(receiversOf('warning')).toEqual(['deployment-slack']);
    expect(config.receivers.find((r) => r.name === 'deployment-slack')?.slack?.token_env).toBe(
      'SLACK_BOT_TOKEN',
    );
  });

  it('leaves a config that defines its own alerting alone, and keeps the defaults with nothing deployed', () => {
    const own = parseConfigText(
      "routes:\n  receiver: x\nreceivers:\n  - name: x\n    slack: { channel: '#x' }\n",
      't',
    );
    expect(withDeploymentAlerting(own, { snsTopicArn: TOPIC })).toBe(own);
    expect(withDeploymentAlerting(DEFAULT_CONFIG, {})).toBe(DEFAULT_CONFIG);
  });

  it('rejects a channel or topic the receivers schema would reject', () => {
    expect(() => withDeploymentAlerting(DEFAULT_CONFIG, { slackChannel: 'Not A Channel' })).toThrow(
      /BEDROCK_COST_SLACK_CHANNEL "Not A Channel"/,
    );
    expect(() => withDeploymentAlerting(DEFAULT_CONFIG, { snsTopicArn: 'topic' })).toThrow(
      /not an SNS topic ARN/,
    );
  });

  it('report receivers: the configured names (deployment ones included), else the deployment receivers', () => {
    const config = parseConfigText(
      "routes:\n  receiver: finance\nreceivers:\n  - name: finance\n    slack: { channel: '#finops' }\n",
      't',
    );
    const targets = { snsTopicArn: TOPIC, slackChannel: '#genai' };
    expect(reportReceivers([], config, targets).map((r) => r.name)).toEqual([
      'deployment-slack',
      'deployment-sns',
    ]);
    expect(reportReceivers(['finance', 'deployment-sns'], config, targets).map((r) => r.name)).toEqual([
      'finance',
      'deployment-sns',
    ]);
    expect(() => reportReceivers(['nobody'], config, targets)).toThrow(
      /report receiver "nobody" is not defined/,
    );
  });
});

describe('metrics', () => {
  it('publish EMF in namespace BedrockCost with service=bedrock-cost as the only dimension', () => {
    // Prepare
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const metrics = createMetrics();

    // Act
    try {
      metrics.count('NotificationOutcomeUnknown', 1);
      metrics.count('NotificationsSent', 2);
      metrics.flush();
      metrics.flush();
    } finally {
      spy.mockRestore();
    }

    // Assert
    const emf = lines.map((l) => JSON.parse(l)).filter((l) => l._aws);
    expect(emf).toHaveLength(1);
    expect(emf[0]._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'BedrockCost',
        Dimensions: [['service']],
        Metrics: [
          { Name: 'NotificationOutcomeUnknown', Unit: 'Count' },
          { Name: 'NotificationsSent', Unit: 'Count' },
        ],
      },
    ]);
    expect(emf[0]).toMatchObject({
      service: 'bedrock-cost',
      NotificationOutcomeUnknown: 1,
      NotificationsSent: 2,
    });
  });
});
