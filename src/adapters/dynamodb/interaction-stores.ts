import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type {
  ConditionAck,
  ConditionAckStore,
  FeedbackStore,
  ReplayGuard,
} from '../../app/ports/alerting.js';
import type { FeedbackRecord } from '../../core/interactivity/feedback.js';
import { sha256Hex } from '../../core/keys.js';
import { DynamoDbJsonListItem } from './json-list-item.js';
import { isConditionFailure, STATE_TABLE_TTL_ATTRIBUTE, toStoreError } from './notification-log.js';

type TableOptions = { client: DynamoDBClient; tableName: string };

/** Acknowledgements, the newest per condition, in one item of the state table. */
export class DynamoDbConditionAckStore implements ConditionAckStore {
  private readonly item: DynamoDbJsonListItem<ConditionAck>;

  constructor(options: TableOptions) {
    this.item = new DynamoDbJsonListItem(options, 'condition-acks', 'acks', 'condition ack store');
  }

  list(): Promise<ConditionAck[]> {
    return this.item.list();
  }

  put(ack: ConditionAck): Promise<void> {
    return this.item.update((acks) => [...acks.filter((a) => a.conditionKey !== ack.conditionKey), ack]);
  }
}

/** "Not an anomaly" feedback in one item of the state table. */
export class DynamoDbFeedbackStore implements FeedbackStore {
  private readonly item: DynamoDbJsonListItem<FeedbackRecord>;

  constructor(options: TableOptions) {
    this.item = new DynamoDbJsonListItem(options, 'feedback', 'feedback', 'feedback store');
  }

  list(): Promise<FeedbackRecord[]> {
    return this.item.list();
  }

  async put(records: readonly FeedbackRecord[]): Promise<void> {
    if (records.length === 0) return;
    const ids = new Set(records.map((r) => r.id));
    await this.item.update((all) => [...all.filter((r) => !ids.has(r.id)), ...records]);
  }
}

/**
 * Seen request ids as items of their own (`slack-seen#<hash>`), written with attribute_not_exists so two
 * copies of one request cannot both pass; the table's TTL removes them after the window.
 */
export class DynamoDbReplayGuard implements ReplayGuard {
  private readonly doc: DynamoDBDocumentClient;

  constructor(private readonly options: TableOptions) {
    this.doc = DynamoDBDocumentClient.from(options.client);
  }

  async firstSeen(id: string, expiresAtMs: number, nowMs: number): Promise<boolean> {
    const expiresAtEpochSec = Math.ceil(expiresAtMs / 1000);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: { pk: `slack-seen#${sha256Hex(id)}`, [STATE_TABLE_TTL_ATTRIBUTE]: expiresAtEpochSec },
          // TTL deletion lags: an expired item still present does not count as seen.
          ConditionExpression: 'attribute_not_exists(#pk) OR #ttl <= :now',
          ExpressionAttributeNames: { '#pk': 'pk', '#ttl': STATE_TABLE_TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':now': Math.floor(nowMs / 1000) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw toStoreError(`replay guard write on table ${this.options.tableName}`, error);
    }
  }
}
