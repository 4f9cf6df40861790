import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnsClient } from '../../src/adapters/sns/sns-notifier.js';
import { createQuarterlyReviewHandler } from '../../src/handlers/quarterly-review.js';
import { createWeeklyDigestHandler } from '../../src/handlers/weekly-digest.js';
import { generateFacts, memoryFactStore } from '../helpers/digest-facts.js';
import { type LocalDynamo, startDynalite } from '../helpers/dynalite.js';
import { fakeContext, recordingLog, recordingMetrics } from '../helpers/lambda.js';
import { type FakeSlackServer, startSlackServer } from '../helpers/slack-server.js';
import { type FakeSnsServer, startSnsServer } from '../helpers/sns-server.js';

const TOPIC_ARN = 'arn:aws:sns:us-east-1:111111111111:bedrock-cost-alerts';
const TOKEN = 'xoxb-reports-token';

/**
 * The scheduled handlers as thin wrappers: no config at all, so the reports go to the deployment's own
 * receivers (BEDROCK_COST_SLACK_CHANNEL, BEDROCK_COST_SNS_TOPIC_ARN); a second run is a no-op.
 */
describe('weekly-digest and quarterly-review handlers', () => {
  let db: LocalDynamo;
  let slack: FakeSlackServer;
  let sns: FakeSnsServer;
  let workDir: string;

  beforeAll(async () => {
    [db, slack, sns] = await Promise.all([
      startDynalite(),
      startSlackServer({ token: TOKEN }),
      startSnsServer(),
    ]);
    workDir = await mkdtemp(join(tmpdir(), 'bedrock-cost-reports-'));
  });
  afterAll(async () => {
    await Promise.all([db?.close(), slack?.close(), sns?.close()]);
    await rm(workDir, { recursive: true, force: true });
  });

  function options(facts: { from: string; to: string; newestUsageEnd: string }) {
    const metrics = recordingMetrics();
    const log = recordingLog();
    return {
      metrics,
      log,
      runtime: {
        env: {
          BEDROCK_COST_STORE: 's3://facts-bucket/bedrock-cost',
          BEDROCK_COST_STATE_TABLE: db.tableName,
          BEDROCK_COST_SNS_TOPIC_ARN: TOPIC_ARN,
          BEDROCK_COST_SLACK_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:slack-AbCdEf',
          BEDROCK_COST_SLACK_CHANNEL: '#finops',
          AWS_REGION: 'us-east-1',
        },
        store: memoryFactStore(generateFacts(facts.from, facts.to), facts.newestUsageEnd),
        clients: {
          dynamo: db.client,
          sns: createSnsClient({
            endpoint: sns.endpoint,
            region: 'us-east-1',
            credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
          }),
        },
        tokens: { token: async (ref: string) => (ref === 'SLACK_BOT_TOKEN' ? TOKEN : undefined) },
        slackApiUrl: slack.apiUrl,
        log,
        metrics,
        workDir,
      },
    };
  }

  it('sends the last ended week once to the deployment channel and topic; a re-run sends nothing', async () => {
    // Prepare
    const setup = options({ from: '2026-05-25', to: '2026-06-16', newestUsageEnd: '2026-06-17T00:00:00Z' });
    const handler = createWeeklyDigestHandler(setup.runtime);
    const event = { now: '2026-06-17T08:00:00Z' };

    // Act
    const first = await handler(event, fakeContext({ functionName: 'weekly-digest' }));
    const second = await handler(event, fakeContext({ functionName: 'weekly-digest' }));

    // Assert
    expect(first.period).toBe('2026-W24');
    expect(first.complete).toBe(true);
    expect(first.deliveries.map((d) => [d.receiver, d.outcome])).toEqual([
      ['deployment-slack', 'delivered'],
      ['deployment-sns', 'delivered'],
    ]);
    expect(second.deliveries.map((d) => d.outcome)).toEqual(['already-sent', 'already-sent']);
    expect(slack.posted.filter((p) => p.channel === 'C0FINOPS1' || p.channel === '#finops')).toHaveLength(1);
    expect(sns.published.filter((p) => p.topicArn === TOPIC_ARN)).toHaveLength(1);
    expect(setup.metrics.total('ReportsSent')).toBe(2);
    expect(setup.metrics.total('ReportsAlreadySent')).toBe(2);
    expect(setup.log.text()).not.toContain(TOKEN);
  });

  it('defers a week that is not final yet, without failing the invocation', async () => {
    // Prepare: data only up to Sunday itself; the week is final 48 h after Sunday ends.
    const setup = options({ from: '2026-06-01', to: '2026-06-21', newestUsageEnd: '2026-06-22T00:00:00Z' });
    const handler = createWeeklyDigestHandler(setup.runtime);

    // Act
    const summary = await handler({ now: '2026-06-22T08:00:00Z' }, fakeContext());

    // Assert
    expect(summary.period).toBe('2026-W25');
    expect(summary.deliveries.map((d) => d.outcome)).toEqual(['deferred', 'deferred']);
    expect(setup.metrics.total('ReportsDeferred')).toBe(2);
  });

  it('rejects a schedule input it does not understand', async () => {
    const setup = options({ from: '2026-06-01', to: '2026-06-02', newestUsageEnd: '2026-06-03T00:00:00Z' });
    const handler = createWeeklyDigestHandler(setup.runtime);
    await expect(handler({ week: '2026-23' }, fakeContext())).rejects.toThrow(
      /invalid schedule input[\s\S]*week/,
    );
  });

  it('sends the quarterly review once per quarter to the deployment receivers', async () => {
    // Prepare
    const setup = options({ from: '2026-04-01', to: '2026-07-05', newestUsageEnd: '2026-07-06T00:00:00Z' });
    const handler = createQuarterlyReviewHandler(setup.runtime);
    const before = sns.published.length;

    // Act
    const first = await handler(
      { now: '2026-07-15T09:00:00Z' },
      fakeContext({ functionName: 'quarterly-review' }),
    );
    const second = await handler({ now: '2026-07-15T09:05:00Z' }, fakeContext());

    // Assert
    expect(first.period).toBe('2026-Q2');
    expect(first.deliveries.map((d) => [d.receiver, d.outcome])).toEqual([
      ['deployment-slack', 'delivered'],
      ['deployment-sns', 'delivered'],
    ]);
    expect(second.deliveries.map((d) => d.outcome)).toEqual(['already-sent', 'already-sent']);
    expect(sns.published.length).toBe(before + 1);
  });
});
