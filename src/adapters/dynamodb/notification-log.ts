import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  ClaimRequest,
  ClaimResult,
  CommitRequest,
  CommitResult,
  NotificationLog,
  ReleaseRequest,
  ReleaseResult,
} from '../../app/ports/alerting.js';
import { claimedEntry, type LogEntry } from '../../core/alerting/notification-log-entry.js';
import { StoreError } from '../../core/errors.js';
import { sha256Hex } from '../../core/keys.js';
import { awsErrorFacts, isRetryableAwsError } from '../aws-errors.js';

/** Partition key attribute of the state table (string); the table has no sort key, TTL on `expiresAtEpochSec`. */
export const STATE_TABLE_PARTITION_KEY = 'pk';
export const STATE_TABLE_TTL_ATTRIBUTE = 'expiresAtEpochSec';

/** Group keys are canonical JSON of labels and can outgrow a key; the hash is the key, the text is kept. */
export function notificationLogPk(receiver: string, groupKey: string): string {
  return `nflog#${sha256Hex(`${receiver}\n${groupKey}`)}`;
}

export interface DynamoDbNotificationLogOptions {
  client: DynamoDBClient;
  tableName: string;
}

/**
 * Notification log on DynamoDB. A claim is one conditional PutItem: it succeeds only when there is no
 * record, or the record still has the version the caller decided on and is not under a live lease.
 */
export class DynamoDbNotificationLog implements NotificationLog {
  private readonly doc: DynamoDBDocumentClient;

  constructor(private readonly options: DynamoDbNotificationLogOptions) {
    this.doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async get(receiver: string, groupKey: string): Promise<LogEntry | null> {
    const out = await this.call('get', () =>
      this.doc.send(
        new GetCommand({
          TableName: this.options.tableName,
          Key: { pk: notificationLogPk(receiver, groupKey) },
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item ? toEntry(out.Item) : null;
  }

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    const version = (request.expectedVersion ?? 0) + 1;
    const entry = claimedEntry(request, version);
    const ok = await this.conditional('claim', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: { pk: notificationLogPk(request.receiver, request.groupKey), ...entry },
          ConditionExpression:
            'attribute_not_exists(#pk) OR (#version = :expected AND (#state = :sent OR #leaseUntilMs <= :now))',
          ExpressionAttributeNames: {
            '#pk': 'pk',
            '#version': 'version',
            '#state': 'state',
            '#leaseUntilMs': 'leaseUntilMs',
          },
          ExpressionAttributeValues: {
            ':expected': request.expectedVersion ?? -1,
            ':sent': 'SENT',
            ':now': request.claimedAtMs,
          },
        }),
      ),
    );
    return ok ? { ok: true, version } : { ok: false, reason: 'held' };
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    const version = request.version + 1;
    const ok = await this.conditional('commit', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { pk: notificationLogPk(request.receiver, request.groupKey) },
          UpdateExpression: 'SET #state = :sent, #version = :next',
          ConditionExpression: '#version = :claimed AND #state = :claimedState',
          ExpressionAttributeNames: { '#state': 'state', '#version': 'version' },
          ExpressionAttributeValues: {
            ':sent': 'SENT',
            ':next': version,
            ':claimed': request.version,
            ':claimedState': 'CLAIMED',
          },
        }),
      ),
    );
    return ok ? { ok: true, version } : { ok: false, reason: 'lost' };
  }

  async release(request: ReleaseRequest): Promise<ReleaseResult> {
    const pk = notificationLogPk(request.receiver, request.groupKey);
    const condition = {
      ConditionExpression: '#version = :claimed',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':claimed': request.version },
    };
    const ok = await this.conditional('release', () =>
      request.restore === null
        ? this.doc.send(new DeleteCommand({ TableName: this.options.tableName, Key: { pk }, ...condition }))
        : this.doc.send(
            new PutCommand({
              TableName: this.options.tableName,
              Item: { pk, ...request.restore, version: request.version + 1 },
              ...condition,
            }),
          ),
    );
    return ok ? { ok: true } : { ok: false, reason: 'lost' };
  }

  /** True when written, false when the condition failed (contention: a value, not an error). */
  private async conditional(op: string, send: () => Promise<unknown>): Promise<boolean> {
    try {
      await this.call(op, send);
      return true;
    } catch (error) {
      if (error instanceof StoreError && isConditionFailure(error.cause)) return false;
      throw error;
    }
  }

  private async call<T>(op: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw toStoreError(`notification log ${op} on table ${this.options.tableName}`, error);
    }
  }
}

/** The SDK's error `name` is the DynamoDB error code; instanceof alone fails across duplicated SDK copies. */
export function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}

/** Wraps an SDK failure; throttling, 5xx and network errors are marked retryable. */
export function toStoreError(what: string, error: unknown): StoreError {
  const { name, message } = awsErrorFacts(error);
  return new StoreError(`${what} failed: ${name ?? 'Error'}: ${message ?? String(error)}`, {
    cause: error,
    retryable: isRetryableAwsError(error),
  });
}

function toEntry(item: Record<string, unknown>): LogEntry {
  return {
    receiver: String(item.receiver),
    groupKey: String(item.groupKey),
    version: Number(item.version),
    state: item.state === 'CLAIMED' ? 'CLAIMED' : 'SENT',
    firingFingerprints: Array.isArray(item.firingFingerprints) ? item.firingFingerprints.map(String) : [],
    maxSeverity: item.maxSeverity as LogEntry['maxSeverity'],
    amount: String(item.amount),
    lastSentAtMs: Number(item.lastSentAtMs),
    leaseUntilMs: Number(item.leaseUntilMs),
    expiresAtEpochSec: Number(item.expiresAtEpochSec),
    ...(Array.isArray(item.resolvedFingerprints)
      ? { resolvedFingerprints: item.resolvedFingerprints.map(String) }
      : {}),
    ...(item.firingSince !== null && typeof item.firingSince === 'object'
      ? {
          firingSince: Object.fromEntries(
            Object.entries(item.firingSince as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
          ),
        }
      : {}),
  };
}
