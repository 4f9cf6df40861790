import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { StoreError } from '../../core/errors.js';
import { isConditionFailure, toStoreError } from './notification-log.js';

const MAX_ATTEMPTS = 5;

/**
 * A small list kept as one item of the state table (JSON in `attribute`), so `list` is a single read;
 * changes are compare-and-set on the item's version, retried on contention. For lists of at most a few
 * thousand entries (an item holds 400 KB).
 */
export class DynamoDbJsonListItem<T> {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    private readonly options: { client: DynamoDBClient; tableName: string },
    private readonly pk: string,
    private readonly attribute: string,
    private readonly what: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async list(): Promise<T[]> {
    return (await this.read()).items;
  }

  async read(): Promise<{ version: number | null; items: T[] }> {
    try {
      const out = await this.doc.send(
        new GetCommand({ TableName: this.options.tableName, Key: { pk: this.pk }, ConsistentRead: true }),
      );
      if (!out.Item) return { version: null, items: [] };
      return {
        version: Number(out.Item.version),
        items: JSON.parse(String(out.Item[this.attribute])) as T[],
      };
    } catch (error) {
      throw toStoreError(`${this.what} read on table ${this.options.tableName}`, error);
    }
  }

  async update(change: (items: T[]) => T[]): Promise<void> {
    const table = this.options.tableName;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.read();
      try {
        await this.doc.send(
          new PutCommand({
            TableName: table,
            Item: {
              pk: this.pk,
              version: (current.version ?? 0) + 1,
              [this.attribute]: JSON.stringify(change(current.items)),
            },
            ConditionExpression: current.version === null ? 'attribute_not_exists(#pk)' : '#version = :v',
            ExpressionAttributeNames: current.version === null ? { '#pk': 'pk' } : { '#version': 'version' },
            ...(current.version === null ? {} : { ExpressionAttributeValues: { ':v': current.version } }),
          }),
        );
        return;
      } catch (error) {
        if (!isConditionFailure(error)) throw toStoreError(`${this.what} write on table ${table}`, error);
      }
    }
    throw new StoreError(`${this.what} write on table ${table}: too much contention`, { retryable: true });
  }
}
