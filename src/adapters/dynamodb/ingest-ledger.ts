import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DeleteCommandInput,
  DynamoDBDocumentClient,
  GetCommand,
  type GetCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { DeliveryClaim, DeliveryClaimRequest, DeliveryClaims } from '../../app/ports/delivery.js';
import type { IngestLedger, LedgerEntry } from '../../app/ports/ingest.js';
import { isConditionFailure, STATE_TABLE_TTL_ATTRIBUTE, toStoreError } from './notification-log.js';

/** One item per manifest key; the key is kept readable because operators look items up by it. */
export function ingestLedgerPk(objectKey: string): string {
  return `ingest#${objectKey}`;
}

export const INGEST_STATUS = { inProgress: 'IN_PROGRESS', completed: 'COMPLETED' } as const;

/**
 * A ledger entry only guards against re-ingesting a re-delivered snapshot; CUR stops restating a period a few
 * months after it closes, so an entry a year old guards nothing and the table's TTL may drop it.
 */
const DEFAULT_RETENTION_DAYS = 400;

export interface DynamoDbIngestLedgerOptions {
  client: DynamoDBClient;
  tableName: string;
  clock?: (() => Date) | undefined;
  /** Claim tokens; random by default (tests pin them). */
  newToken?: (() => string) | undefined;
  retentionDays?: number | undefined;
}

/** A command's input without the table and key, which every ledger command sets alike. */
type ItemInput<T> = Omit<T, 'TableName' | 'Key'>;

interface LeaseItem {
  token: string;
  version: string;
  untilMs: number;
  claimedAtMs: number;
}

/**
 * The ingest ledger and the delivery claims on the state table, one item per manifest key:
 * `{ pk: ingest#<objectKey>, status, entry?, lease? }`. Like Powertools idempotency, a claim is a conditional
 * write of an IN_PROGRESS lease with an expiry (no live lease, or the old one has run out); `put` records the
 * completed entry (COMPLETED); `release` drops the lease. Every write is a single conditional UpdateItem or
 * DeleteItem, so two invocations for the same delivery never both hold the lease.
 */
export class DynamoDbIngestLedger implements IngestLedger, DeliveryClaims {
  private readonly doc: DynamoDBDocumentClient;
  private readonly clock: () => Date;
  private readonly newToken: () => string;
  private readonly retentionSec: number;

  constructor(private readonly options: DynamoDbIngestLedgerOptions) {
    this.doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.clock = options.clock ?? (() => new Date());
    this.newToken = options.newToken ?? randomUUID;
    this.retentionSec = (options.retentionDays ?? DEFAULT_RETENTION_DAYS) * 86_400;
  }

  async get(objectKey: string): Promise<LedgerEntry | null> {
    const item = await this.read(objectKey);
    return item?.entry ? toEntry(item.entry as Record<string, unknown>) : null;
  }

  async put(entry: LedgerEntry): Promise<void> {
    const pk = ingestLedgerPk(entry.objectKey);
    const expires = Math.ceil(this.clock().getTime() / 1000) + this.retentionSec;
    const values = { ':entry': { ...entry }, ':expires': expires };
    // Completing clears the lease when it is for this very version (ours, or a duplicate run's whose ingest
    // would write the same facts). A lease on another version belongs to a run ingesting something newer:
    // record the entry but leave that run its lease.
    const completed = await this.conditional('put', () =>
      this.sendUpdate(pk, {
        UpdateExpression: 'SET #entry = :entry, #status = :completed, #ttl = :expires REMOVE #lease',
        ConditionExpression: 'attribute_not_exists(#lease) OR #lease.#version = :version',
        ExpressionAttributeNames: {
          '#entry': 'entry',
          '#status': 'status',
          '#ttl': STATE_TABLE_TTL_ATTRIBUTE,
          '#lease': 'lease',
          '#version': 'version',
        },
        ExpressionAttributeValues: {
          ...values,
          ':completed': INGEST_STATUS.completed,
          ':version': entry.version,
        },
      }),
    );
    if (completed) return;
    await this.call('put', () =>
      this.sendUpdate(pk, {
        UpdateExpression: 'SET #entry = :entry, #ttl = :expires',
        ExpressionAttributeNames: { '#entry': 'entry', '#ttl': STATE_TABLE_TTL_ATTRIBUTE },
        ExpressionAttributeValues: values,
      }),
    );
  }

  async claim(request: DeliveryClaimRequest): Promise<DeliveryClaim> {
    const token = this.newToken();
    const lease: LeaseItem = {
      token,
      version: request.version,
      untilMs: request.nowMs + request.leaseMs,
      claimedAtMs: request.nowMs,
    };
    const claimed = await this.conditional('claim', () =>
      this.sendUpdate(ingestLedgerPk(request.objectKey), {
        UpdateExpression: 'SET #lease = :lease, #status = :inProgress, #ttl = if_not_exists(#ttl, :expires)',
        ConditionExpression: 'attribute_not_exists(#lease) OR #lease.#untilMs <= :now',
        ExpressionAttributeNames: {
          '#lease': 'lease',
          '#status': 'status',
          '#untilMs': 'untilMs',
          '#ttl': STATE_TABLE_TTL_ATTRIBUTE,
        },
        ExpressionAttributeValues: {
          ':lease': lease,
          ':inProgress': INGEST_STATUS.inProgress,
          ':now': request.nowMs,
          ':expires': Math.ceil(lease.untilMs / 1000) + this.retentionSec,
        },
      }),
    );
    if (claimed) return { status: 'claimed', token };
    const holder = (await this.read(request.objectKey))?.lease as Partial<LeaseItem> | undefined;
    return {
      status: 'held',
      version: typeof holder?.version === 'string' ? holder.version : null,
      leaseUntilMs: typeof holder?.untilMs === 'number' ? holder.untilMs : null,
    };
  }

  async release(objectKey: string, token: string): Promise<void> {
    const pk = ingestLedgerPk(objectKey);
    const names = { '#lease': 'lease', '#token': 'token', '#entry': 'entry' };
    // With a completed entry the item goes back to COMPLETED; a claim that never completed leaves nothing.
    const reverted = await this.conditional('release', () =>
      this.sendUpdate(pk, {
        UpdateExpression: 'SET #status = :completed REMOVE #lease',
        ConditionExpression: '#lease.#token = :token AND attribute_exists(#entry)',
        ExpressionAttributeNames: { ...names, '#status': 'status' },
        ExpressionAttributeValues: { ':token': token, ':completed': INGEST_STATUS.completed },
      }),
    );
    if (reverted) return;
    await this.conditional('release', () =>
      this.sendDelete(pk, {
        ConditionExpression: '#lease.#token = :token AND attribute_not_exists(#entry)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':token': token },
      }),
    );
  }

  private async read(objectKey: string): Promise<Record<string, unknown> | undefined> {
    const out = await this.call('get', () =>
      this.sendGet(ingestLedgerPk(objectKey), {
        ConsistentRead: true,
      }),
    );
    return out.Item;
  }

  private sendUpdate(pk: string, input: ItemInput<UpdateCommandInput>) {
    return this.doc.send(new UpdateCommand({ TableName: this.options.tableName, Key: { pk }, ...input }));
  }

  private sendDelete(pk: string, input: ItemInput<DeleteCommandInput>) {
    return this.doc.send(new DeleteCommand({ TableName: this.options.tableName, Key: { pk }, ...input }));
  }

  private sendGet(pk: string, input: ItemInput<GetCommandInput>) {
    return this.doc.send(new GetCommand({ TableName: this.options.tableName, Key: { pk }, ...input }));
  }

  /** True when written, false when the condition failed (contention is a value, not an error). */
  private async conditional(op: string, send: () => Promise<unknown>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw toStoreError(`ingest ledger ${op} on table ${this.options.tableName}`, error);
    }
  }

  private async call<T>(op: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw toStoreError(`ingest ledger ${op} on table ${this.options.tableName}`, error);
    }
  }
}

function toEntry(item: Record<string, unknown>): LedgerEntry {
  return {
    objectKey: String(item.objectKey),
    version: String(item.version),
    exportName: String(item.exportName),
    snapshotId: String(item.snapshotId),
    billingPeriods: Array.isArray(item.billingPeriods) ? item.billingPeriods.map(String) : [],
    ingestedAt: String(item.ingestedAt),
    facts: Number(item.facts),
    costUnblended: String(item.costUnblended),
  };
}
