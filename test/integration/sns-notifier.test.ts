import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSnsClient, SnsNotifier } from '../../src/adapters/sns/sns-notifier.js';
import type { NotificationDelivery } from '../../src/app/ports/alerting.js';
import { toAlert } from '../../src/core/alerting/alert.js';
import { renderSnsMessage } from '../../src/core/render/sns-message.js';
import { type FakeSnsServer, startSnsServer } from '../helpers/sns-server.js';
import { makeFinding } from '../unit/core/alerting/fixtures.js';

const STANDARD = 'arn:aws:sns:us-east-1:111111111111:bedrock-pages';
const FIFO = 'arn:aws:sns:us-east-1:111111111111:bedrock-pages.fifo';

const delivery = (topicArn: string, today = '412.30'): Extract<NotificationDelivery, { kind: 'sns' }> => ({
  kind: 'sns',
  receiver: 'oncall/sns',
  groupKey: 'g1',
  topicArn,
  message: renderSnsMessage({
    receiver: 'oncall/sns',
    groupKey: 'g1',
    groupLabels: { workload: 'support-bot' },
    alerts: [toAlert(makeFinding({ today }))],
    reason: 'first',
  }),
});

describe('SnsNotifier against a loopback SNS Query API', () => {
  let sns: FakeSnsServer;
  let notifier: SnsNotifier;

  beforeAll(async () => {
    sns = await startSnsServer();
    notifier = new SnsNotifier(
      createSnsClient({
        endpoint: sns.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
        requestTimeoutMs: 1_000,
      }),
    );
  });
  afterAll(async () => {
    await sns.close();
  });
  beforeEach(() => {
    sns.requests.length = 0;
    sns.published.length = 0;
  });

  it('publishes subject, JSON body and severity/rule/workload attributes to a standard topic', async () => {
    // Act
    const outcome = await notifier.send(delivery(STANDARD));
    // Assess
    expect(outcome).toEqual({ status: 'delivered', messageId: sns.published[0]?.messageId });
    const [msg] = sns.published;
    expect(msg?.subject).toBe(
      '[PAGE] support-bot Bedrock spend $412.30 on 2026-06-14 - 4.1x the previous day',
    );
    expect(msg?.attributes).toEqual({
      severity: { dataType: 'String', value: 'page' },
      rule: { dataType: 'String', value: 'spend-spike' },
      workload: { dataType: 'String', value: 'support-bot' },
      status: { dataType: 'String', value: 'firing' },
    });
    expect(JSON.parse(msg!.message)).toMatchObject({
      dedup_key: expect.stringMatching(/^[0-9a-f]{64}$/),
      event_action: 'trigger',
      status: 'firing',
    });
    expect(msg?.messageGroupId).toBeUndefined();
  });

  it('FIFO topic: group id and content dedup id; a resend of the same content is deduplicated by SNS', async () => {
    // Act
    const first = await notifier.send(delivery(FIFO));
    const again = await notifier.send(delivery(FIFO));
    const escalated = await notifier.send(delivery(FIFO, '900'));
    // Assess
    expect([first.status, again.status, escalated.status]).toEqual(['delivered', 'delivered', 'delivered']);
    expect(sns.requests).toHaveLength(3);
    expect(sns.published).toHaveLength(2);
    const [a, b] = sns.published;
    expect(a?.messageGroupId).toBe(JSON.parse(a!.message).dedup_key);
    expect(a?.messageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(b?.messageDeduplicationId).not.toBe(a?.messageDeduplicationId);
  });

  it.each([
    {
      name: 'HTTP 500 InternalError: retryable',
      step: { status: 500, code: 'InternalError', type: 'Receiver' as const },
      want: 'retryable',
    },
    { name: 'throttled: retryable', step: { status: 400, code: 'Throttled' }, want: 'retryable' },
    { name: 'topic not found: rejected', step: { status: 404, code: 'NotFound' }, want: 'rejected' },
    {
      name: 'authorization error: rejected',
      step: { status: 403, code: 'AuthorizationError' },
      want: 'rejected',
    },
  ])('$name', async ({ step, want }) => {
    // Prepare
    sns.script({ kind: 'error', message: 'scripted failure', ...step });
    // Act
    const outcome = await notifier.send(delivery(STANDARD));
    // Assess
    expect(outcome.status).toBe(want);
    expect(sns.requests).toHaveLength(1);
  });

  it('connection refused: retryable', async () => {
    // Prepare: a port that was just free on loopback.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as { port: number };
        probe.close(() => resolve(p));
      });
    });
    const refused = new SnsNotifier(
      createSnsClient({
        endpoint: `http://127.0.0.1:${port}`,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
      }),
    );
    // Act / Assess
    expect((await refused.send(delivery(STANDARD))).status).toBe('retryable');
  });

  it('request written, no answer before the timeout: unknown', async () => {
    sns.script({ kind: 'hang' });
    expect((await notifier.send(delivery(STANDARD))).status).toBe('unknown');
    expect(sns.requests).toHaveLength(1);
  });
});
