import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SilenceStore } from '../../app/ports/alerting.js';
import type { Silence } from '../../core/alerting/silences.js';
import { StoreError } from '../../core/errors.js';
import { isConditionFailure, toStoreError } from './notification-log.js';

const SILENCES_PK = 'silences';
const MAX_ATTEMPTS = 5;

/**
 * Run-time silences as one item of the state table (silences are few; one item keeps `list` a single
 * read), updated by compare-and-set on its version.
 */
export class DynamoDbSilenceStore implements SilenceStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(private readonly options: { client: DynamoDBClient; tableName: string }) {
    this.doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async list(): Promise<Silence[]> {
    return (await this.read()).silences;
  }

  async put(silence: Silence): Promise<void> {
    await this.update((silences) => [...silences.filter((s) => s.id !== silence.id), silence]);
  }

  async expire(id: string, atMs: number): Promise<boolean> {
    let found = false;
    await this.update((silences) =>
      silences.map((s) => {
        if (s.id !== id) return s;
        found = true;
        return { ...s, endsAtMs: Math.max(s.startsAtMs, Math.min(s.endsAtMs, atMs)) };
      }),
    );
    return found;
  }

  private async read(): Promise<{ version: number | null; silences: Silence[] }> {
    try {
      const out = await this.doc.send(
        new GetCommand({ TableName: this.options.tableName, Key: { pk: SILENCES_PK }, ConsistentRead: true }),
      );
      if (!out.Item) return { version: null, silences: [] };
      return {
        version: Number(out.Item.version),
        silences: JSON.parse(String(out.Item.silences)) as Silence[],
      };
    } catch (error) {
      throw toStoreError(`silence store read on table ${this.options.tableName}`, error);
    }
  }

  private async update(change: (silences: Silence[]) => Silence[]): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.read();
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.options.tableName,
            Item: {
              pk: SILENCES_PK,
              version: (current.version ?? 0) + 1,
              silences: JSON.stringify(change(current.silences)),
            },
            ConditionExpression: current.version === null ? 'attribute_not_exists(#pk)' : '#version = :v',
            ExpressionAttributeNames: current.version === null ? { '#pk': 'pk' } : { '#version': 'version' },
            ...(current.version === null ? {} : { ExpressionAttributeValues: { ':v': current.version } }),
          }),
        );
        return;
      } catch (error) {
        if (!isConditionFailure(error))
          throw toStoreError(`silence store write on table ${this.options.tableName}`, error);
      }
    }
    throw new StoreError(`silence store write on table ${this.options.tableName}: too much contention`, {
      retryable: true,
    });
  }
}
