import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SilenceStore } from '../../app/ports/alerting.js';
import type { Silence } from '../../core/alerting/silences.js';
import { DynamoDbJsonListItem } from './json-list-item.js';

/**
 * Run-time silences as one item of the state table (silences are few; one item keeps `list` a single
 * read), updated by compare-and-set on its version.
 */
export class DynamoDbSilenceStore implements SilenceStore {
  private readonly item: DynamoDbJsonListItem<Silence>;

  constructor(options: { client: DynamoDBClient; tableName: string }) {
    this.item = new DynamoDbJsonListItem(options, 'silences', 'silences', 'silence store');
  }

  list(): Promise<Silence[]> {
    return this.item.list();
  }

  async put(silence: Silence): Promise<void> {
    await this.item.update((silences) => [...silences.filter((s) => s.id !== silence.id), silence]);
  }

  async expire(id: string, atMs: number): Promise<boolean> {
    let found = false;
    await this.item.update((silences) =>
      silences.map((s) => {
        if (s.id !== id) return s;
        found = true;
        return { ...s, endsAtMs: Math.max(s.startsAtMs, Math.min(s.endsAtMs, atMs)) };
      }),
    );
    return found;
  }
}
