import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DynamoDbConditionAckStore,
  DynamoDbFeedbackStore,
  DynamoDbReplayGuard,
} from '../../../src/adapters/dynamodb/interaction-stores.js';
import type { FeedbackRecord } from '../../../src/core/interactivity/feedback.js';
import { sha256Hex } from '../../../src/core/keys.js';
import { type LocalDynamo, startDynalite } from '../../helpers/dynalite.js';

const NOW = Date.parse('2026-06-16T09:30:00Z');

const feedback = (id: string, over: Partial<FeedbackRecord> = {}): FeedbackRecord => ({
  id,
  interactionId: '0123456789abcdef',
  verdict: 'not-an-anomaly',
  conditionKey: 'cond-1',
  rule: 'spend-spike',
  labels: { workload: 'support-bot' },
  userId: 'U0ALICE01',
  userName: 'alice',
  atMs: NOW,
  reason: '',
  silenceId: 'slack-1',
  channel: 'C0ALERTS1',
  messageTs: '1781000000.000001',
  ...over,
});

describe('Slack interaction stores on DynamoDB (dynalite)', () => {
  let db: LocalDynamo;
  beforeAll(async () => {
    db = await startDynalite();
  });
  afterAll(async () => {
    await db.close();
  });

  it('replay guard: of two concurrent copies of a request exactly one passes; the record expires by TTL', async () => {
    // Prepare
    const guard = new DynamoDbReplayGuard({ client: db.client, tableName: db.tableName });
    // Act
    const results = await Promise.all([
      guard.firstSeen('v0=abc', NOW + 300_000, NOW),
      guard.firstSeen('v0=abc', NOW + 300_000, NOW),
    ]);
    const later = await guard.firstSeen('v0=abc', NOW + 300_000, NOW + 60_000);
    const afterExpiry = await guard.firstSeen('v0=abc', NOW + 900_000, NOW + 301_000);
    // Assess
    expect(results.sort()).toEqual([false, true]);
    expect(later).toBe(false);
    expect(afterExpiry).toBe(true);
    const item = await db.client.send(
      new GetItemCommand({
        TableName: db.tableName,
        Key: { pk: { S: `slack-seen#${sha256Hex('v0=abc')}` } },
      }),
    );
    expect(item.Item?.expiresAtEpochSec).toEqual({ N: String((NOW + 900_000) / 1000) });
  });

  it('acks: the newest per condition', async () => {
    const acks = new DynamoDbConditionAckStore({ client: db.client, tableName: db.tableName });
    await acks.put({ conditionKey: 'cond-a', acknowledgedBy: 'alice', acknowledgedAtMs: NOW });
    await acks.put({ conditionKey: 'cond-b', acknowledgedBy: 'bob', acknowledgedAtMs: NOW + 1 });
    await acks.put({ conditionKey: 'cond-a', acknowledgedBy: 'carol', acknowledgedAtMs: NOW + 2 });
    expect(await acks.list()).toEqual([
      { conditionKey: 'cond-b', acknowledgedBy: 'bob', acknowledgedAtMs: NOW + 1 },
      { conditionKey: 'cond-a', acknowledgedBy: 'carol', acknowledgedAtMs: NOW + 2 },
    ]);
  });

  it('feedback: concurrent writers all land; put replaces a record with the same id', async () => {
    const store = new DynamoDbFeedbackStore({ client: db.client, tableName: db.tableName });
    await Promise.all([
      store.put([feedback('fb-1')]),
      store.put([feedback('fb-2')]),
      store.put([feedback('fb-3')]),
    ]);
    await store.put([feedback('fb-2', { reason: 'load test' })]);
    const all = await store.list();
    expect(all.map((r) => r.id).sort()).toEqual(['fb-1', 'fb-2', 'fb-3']);
    expect(all.find((r) => r.id === 'fb-2')?.reason).toBe('load test');
  });
});
