import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { EarlyWarningStore } from '../../app/ports/early-warning.js';
import { type EarlyWarningState, EMPTY_EARLY_WARNING_STATE } from '../../core/early-warning/reconcile.js';
import { StoreError } from '../../core/errors.js';
import { isConditionFailure, toStoreError } from './notification-log.js';

const EARLY_WARNING_PK = 'early-warning';
const MAX_ATTEMPTS = 5;

/**
 * The early warning's state as one item of the state table, updated by compare-and-set on its version (as the
 * silence store). Retention in core keeps it to ~45 days of hourly estimates per workload.
 */
export class DynamoDbEarlyWarningStore implements EarlyWarningStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(private readonly options: { client: DynamoDBClient; tableName: string }) {
    this.doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async read(): Promise<EarlyWarningState> {
    return (await this.readVersioned()).state;
  }

  async update(change: (state: EarlyWarningState) => EarlyWarningState): Promise<EarlyWarningState> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.readVersioned();
      const next = change(current.state);
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.options.tableName,
            Item: { pk: EARLY_WARNING_PK, version: (current.version ?? 0) + 1, state: JSON.stringify(next) },
            ConditionExpression: current.version === null ? 'attribute_not_exists(#pk)' : '#version = :v',
            ExpressionAttributeNames: current.version === null ? { '#pk': 'pk' } : { '#version': 'version' },
            ...(current.version === null ? {} : { ExpressionAttributeValues: { ':v': current.version } }),
          }),
        );
        return next;
      } catch (error) {
        if (!isConditionFailure(error))
          throw toStoreError(`early-warning store write on table ${this.options.tableName}`, error);
      }
    }
    throw new StoreError(
      `early-warning store write on table ${this.options.tableName}: too much contention`,
      {
        retryable: true,
      },
    );
  }

  private async readVersioned(): Promise<{ version: number | null; state: EarlyWarningState }> {
    try {
      const out = await this.doc.send(
        new GetCommand({
          TableName: this.options.tableName,
          Key: { pk: EARLY_WARNING_PK },
          ConsistentRead: true,
        }),
      );
      if (!out.Item) return { version: null, state: structuredClone(EMPTY_EARLY_WARNING_STATE) };
      return {
        version: Number(out.Item.version),
        state: JSON.parse(String(out.Item.state)) as EarlyWarningState,
      };
    } catch (error) {
      throw toStoreError(`early-warning store read on table ${this.options.tableName}`, error);
    }
  }
}
