import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackNotifier } from '../../src/adapters/slack/slack-notifier.js';
import type { NotificationDelivery } from '../../src/app/ports/alerting.js';
import { toAlert } from '../../src/core/alerting/alert.js';
import { renderSlackMessage } from '../../src/core/render/slack-message.js';
import { type FakeSlackServer, startSlackServer } from '../helpers/slack-server.js';
import { makeFinding } from '../unit/core/alerting/fixtures.js';

const TOKEN = 'xoxb-111111111111-222222222222-abcdefghijklmnopqrstuvwx';

const delivery = (channel = '#bedrock-oncall'): Extract<NotificationDelivery, { kind: 'slack' }> => ({
  kind: 'slack',
  receiver: 'oncall/slack',
  groupKey: 'g1',
  channel,
  tokenRef: 'SLACK_BOT_TOKEN',
  message: renderSlackMessage({
    receiver: 'oncall/slack',
    groupKey: 'g1',
    groupLabels: { workload: 'support-bot' },
    alerts: [toAlert(makeFinding())],
    reason: 'first',
  }),
});

describe('SlackNotifier against a loopback Slack Web API', () => {
  let slack: FakeSlackServer;
  let notifier: SlackNotifier;

  beforeAll(async () => {
    slack = await startSlackServer({ token: TOKEN });
  });
  afterAll(async () => {
    await slack.close();
  });
  beforeEach(() => {
    slack.calls.length = 0;
    slack.posted.length = 0;
    notifier = new SlackNotifier({
      tokens: { SLACK_BOT_TOKEN: TOKEN },
      slackApiUrl: slack.apiUrl,
      timeoutMs: 1_000,
    });
  });

  it('posts chat.postMessage with Bearer auth, blocks and text fallback', async () => {
    // Act
    const outcome = await notifier.send(delivery());
    // Assess
    expect(outcome).toEqual({ status: 'delivered', messageId: expect.stringMatching(/^\d+\.\d+$/) });
    const call = slack.posted[0]!;
    expect(call.token).toBe(TOKEN);
    expect(call.body.channel).toBe('#bedrock-oncall');
    expect(call.body.text).toContain('support-bot Bedrock spend $412.30 on 2026-06-14');
    expect((call.body.blocks as { type: string }[])[0]?.type).toBe('header');
  });

  it('429 then success: waits the Retry-After, then delivers', async () => {
    // Prepare
    slack.script({ kind: 'rate-limited', retryAfterSec: 1 });
    // Act
    const outcome = await notifier.send(delivery());
    // Assess
    expect(outcome.status).toBe('delivered');
    expect(slack.calls).toHaveLength(2);
    const waitedMs = slack.calls[1]!.receivedAtMs - slack.calls[0]!.receivedAtMs;
    expect(waitedMs).toBeGreaterThanOrEqual(950);
    expect(slack.posted).toHaveLength(1);
  });

  it('429 beyond the retry budget: retryable with the server’s delay', async () => {
    // Prepare
    notifier = new SlackNotifier({
      tokens: { SLACK_BOT_TOKEN: TOKEN },
      slackApiUrl: slack.apiUrl,
      maxRateLimitRetries: 0,
    });
    slack.script({ kind: 'rate-limited', retryAfterSec: 7 });
    // Act / Assess
    expect(await notifier.send(delivery())).toMatchObject({ status: 'retryable', retryAfterMs: 7_000 });
  });

  it('HTTP 500: retryable, not retried by the client', async () => {
    slack.script({ kind: 'http-error', status: 500 });
    expect((await notifier.send(delivery())).status).toBe('retryable');
    expect(slack.calls).toHaveLength(1);
  });

  it('ok:false channel_not_found: rejected', async () => {
    slack.script({ kind: 'slack-error', error: 'channel_not_found' });
    const outcome = await notifier.send(delivery('#gone'));
    expect(outcome.status).toBe('rejected');
    expect(outcome).toMatchObject({ error: expect.stringContaining('channel_not_found') });
  });

  it('request written, no answer before the timeout: unknown (never retried)', async () => {
    // Prepare
    slack.script({ kind: 'hang' });
    // Act
    const outcome = await notifier.send(delivery());
    // Assess
    expect(outcome.status).toBe('unknown');
    expect(slack.calls).toHaveLength(1);
  });

  it('connection refused before anything was written: retryable', async () => {
    // Prepare: a port that was just free on loopback.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as { port: number };
        probe.close(() => resolve(p));
      });
    });
    notifier = new SlackNotifier({
      tokens: { SLACK_BOT_TOKEN: TOKEN },
      slackApiUrl: `http://127.0.0.1:${port}/api/`,
    });
    // Act / Assess
    expect((await notifier.send(delivery())).status).toBe('retryable');
  });

  it('wrong token: rejected (invalid_auth), and the token is not in the error', async () => {
    notifier = new SlackNotifier({
      tokens: { SLACK_BOT_TOKEN: 'xoxb-wrong-token-value' },
      slackApiUrl: slack.apiUrl,
    });
    const outcome = await notifier.send(delivery());
    expect(outcome).toMatchObject({ status: 'rejected', error: expect.stringContaining('invalid_auth') });
    expect(JSON.stringify(outcome)).not.toContain('xoxb-wrong-token-value');
  });

  it('the token never appears in an outcome, even when the client error quotes it', async () => {
    // Prepare: a transport failure whose message (and cause) contain the token.
    notifier = new SlackNotifier({
      tokens: { SLACK_BOT_TOKEN: TOKEN },
      slackApiUrl: slack.apiUrl,
      fetch: async (_url, init) => {
        const auth = init?.headers?.Authorization ?? '';
        throw new Error(`proxy refused request with ${auth}`, { cause: new Error(`token=${TOKEN}`) });
      },
    });
    // Act
    const outcome = await notifier.send(delivery());
    // Assess
    expect(outcome.status).toBe('unknown');
    const text = JSON.stringify(outcome);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('abcdefghijklmnopqrstuvwx');
    expect(text).toContain('[REDACTED]');
  });

  it('a receiver whose token reference is not configured: rejected without a request', async () => {
    const outcome = await notifier.send({ ...delivery(), tokenRef: 'OTHER_TOKEN' });
    expect(outcome).toEqual({ status: 'rejected', error: 'no Slack token for "OTHER_TOKEN"' });
    expect(slack.calls).toHaveLength(0);
  });
});

describe('notify → local notification log → Slack and SNS over the wire', () => {
  it('two concurrent runs post once; a re-run posts nothing; an escalation posts again', async () => {
    // Prepare
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { notify } = await import('../../src/app/notify.js');
    const { LocalNotificationLog } = await import('../../src/adapters/local-fs/notification-log.js');
    const { SnsNotifier, createSnsClient } = await import('../../src/adapters/sns/sns-notifier.js');
    const { startSnsServer } = await import('../helpers/sns-server.js');
    const { alertingFrom, NOW } = await import('../unit/core/alerting/fixtures.js');
    const slack = await startSlackServer({ token: TOKEN });
    const sns = await startSnsServer();
    const dir = await mkdtemp(join(tmpdir(), 'notify-e2e-'));
    const alerting = alertingFrom({
      routes: { receiver: 'oncall' },
      receivers: [
        {
          name: 'oncall',
          slack: { channel: '#bedrock-oncall' },
          sns: { topic_arn: 'arn:aws:sns:us-east-1:111111111111:bedrock-pages' },
        },
      ],
    });
    const deps = () => ({
      // Each run gets its own adapters, as two processes would.
      log: new LocalNotificationLog({ path: join(dir, 'notification-log.json') }),
      notifiers: {
        slack: new SlackNotifier({ tokens: { SLACK_BOT_TOKEN: TOKEN }, slackApiUrl: slack.apiUrl }),
        sns: new SnsNotifier(
          createSnsClient({
            endpoint: sns.endpoint,
            region: 'us-east-1',
            credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'x' },
          }),
        ),
      },
      clock: () => new Date(NOW),
    });
    try {
      // Act
      const runs = await Promise.all(
        [1, 2].map(() => notify({ findings: [makeFinding()], alerting }, deps())),
      );
      const rerun = await notify({ findings: [makeFinding()], alerting }, deps());
      const escalated = await notify({ findings: [makeFinding({ today: '1000' })], alerting }, deps());
      // Assess
      expect(runs.flatMap((r) => r.entries.filter((e) => e.outcome === 'delivered'))).toHaveLength(2);
      expect(rerun.entries.map((e) => e.outcome)).toEqual(['suppressed', 'suppressed']);
      expect(escalated.entries.map((e) => [e.reason, e.outcome])).toEqual([
        ['escalated', 'delivered'],
        ['escalated', 'delivered'],
      ]);
      expect(slack.posted).toHaveLength(2);
      expect(sns.published).toHaveLength(2);
    } finally {
      await Promise.all([slack.close(), sns.close(), rm(dir, { recursive: true, force: true })]);
    }
  });
});
