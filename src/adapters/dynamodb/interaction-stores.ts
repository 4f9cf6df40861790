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

/** Records kept in one item of the state table; `upsert` replaces those with the same key. */
class DynamoDbKeyedList<T> {
  private readonly item: DynamoDbJsonListItem<T>;

  constructor(
    options: TableOptions,
    names: { pk: string; attribute: string; what: string },
    private readonly keyOf: (record: T) => string,
  ) {
    this.item = new DynamoDbJsonListItem(options, names.pk, names.attribute, names.what);
  }

  list(): Promise<T[]> {
    return this.item.list();
  }

  protected async upsert(records: readonly T[]): Promise<void> {
    if (records.length === 0) return;
    const keys = new Set(records.map(this.keyOf));
    await this.item.update((all) => [...all.filter((r) => !keys.has(this.keyOf(r))), ...records]);
  }
}

/** Acknowledgements, the newest per condition, in one item of the state table. */
export class DynamoDbConditionAckStore extends DynamoDbKeyedList<ConditionAck> implements ConditionAckStore {
  constructor(options: TableOptions) {
    super(
      options,
      { pk: 'condition-acks', attribute: 'acks', what: 'condition ack store' },
      (a) => a.conditionKey,
    );
  }

  put(ack: ConditionAck): Promise<void> {
    return this.upsert([ack]);
  }
}

/** "Not an anomaly" feedback in one item of the state table. */
export class DynamoDbFeedbackStore extends DynamoDbKeyedList<FeedbackRecord> implements FeedbackStore {
  constructor(options: TableOptions) {
    super(options, { pk: 'feedback', attribute: 'feedback', what: 'feedback store' }, (r) => r.id);
  }

  put(records: readonly FeedbackRecord[]): Promise<void> {
    return this.upsert(records);
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
