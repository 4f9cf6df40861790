import { parse } from '@aws-lambda-powertools/parser';
import { z } from 'zod';
import { decodePercent, type S3ObjectEvent } from '../../adapters/s3/cur-objects.js';
import { AppError } from '../../core/errors.js';

/** An SQS message body that is not an S3 event this service understands: never retried into success. */
export class MalformedEventError extends AppError {
  readonly _tag = 'MalformedEventError';
}

export type ParsedMessage =
  | { kind: 'objects'; objects: S3ObjectEvent[] }
  | { kind: 'ignored'; reason: string };

/** The bucket and object of an S3 event: both event formats carry the same two, under their own spellings. */
const BucketSchema = z.object({ name: z.string().min(1) }).loose();
const objectSchema = <Extra extends z.ZodRawShape>(extra: Extra) =>
  z.object({ key: z.string().min(1), ...extra }).loose();

const EventBridgeS3Schema = z
  .object({
    'detail-type': z.string(),
    source: z.string(),
    detail: z
      .object({
        bucket: BucketSchema,
        object: objectSchema({ etag: z.string().optional(), 'version-id': z.string().optional() }),
      })
      .loose(),
  })
  .loose();

const S3NotificationSchema = z
  .object({
    Records: z
      .array(
        z
          .object({
            eventSource: z.literal('aws:s3'),
            eventName: z.string(),
            s3: z
              .object({
                bucket: BucketSchema,
                object: objectSchema({ eTag: z.string().optional(), versionId: z.string().nullish() }),
              })
              .loose(),
          })
          .loose(),
      )
      .min(1),
  })
  .loose();

/**
 * Reads one SQS message body: an EventBridge "Object Created" event (the stack's S3 → EventBridge → SQS
 * path), a classic S3 notification (`{"Records":[…]}`, a bucket wired straight to the queue), either of those
 * wrapped in an SNS envelope, or the `s3:TestEvent` S3 sends when a notification is configured (ignored).
 */
export function parseDeliveryMessage(body: string): ParsedMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (error) {
    throw new MalformedEventError(
      `message body is not JSON (${(error as Error).message}); expected an EventBridge S3 event or an S3 notification: ${preview(body)}`,
    );
  }
  return parseEventValue(raw, body);
}

function parseEventValue(raw: unknown, body: string, depth = 0): ParsedMessage {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new MalformedEventError(`message body is not a JSON object: ${preview(body)}`);
  }
  const value = raw as Record<string, unknown>;
  if (value.Event === 's3:TestEvent') return { kind: 'ignored', reason: 'S3 test event' };
  // S3 → SNS → SQS without raw message delivery.
  if (value.Type === 'Notification' && typeof value.Message === 'string' && depth === 0) {
    let inner: unknown;
    try {
      inner = JSON.parse(value.Message);
    } catch {
      throw new MalformedEventError(`SNS envelope whose Message is not JSON: ${preview(body)}`);
    }
    return parseEventValue(inner, body, depth + 1);
  }
  if ('detail-type' in value) return fromEventBridge(value, body);
  if ('Records' in value) return fromS3Notification(value, body);
  throw new MalformedEventError(
    `message is neither an EventBridge S3 event (detail-type, detail.bucket, detail.object) nor an S3 notification (Records[].s3): ${preview(body)}`,
  );
}

function fromEventBridge(value: unknown, body: string): ParsedMessage {
  const parsed = parse(value, undefined, EventBridgeS3Schema, true);
  if (!parsed.success) {
    throw new MalformedEventError(
      `malformed EventBridge S3 event (${firstIssue(parsed.error)}): ${preview(body)}`,
    );
  }
  const event = parsed.data;
  if (event.source !== 'aws.s3' || event['detail-type'] !== 'Object Created') {
    return { kind: 'ignored', reason: `EventBridge ${event.source} "${event['detail-type']}" event` };
  }
  const object = event.detail.object;
  return {
    kind: 'objects',
    objects: [
      {
        bucket: event.detail.bucket.name,
        // CUR keys hold `=` (BILLING_PERIOD=…), which may arrive percent-encoded; '+' is never a space here.
        key: decodePercent(object.key),
        etag: object.etag,
        versionId: object['version-id'],
        via: 'eventbridge',
      },
    ],
  };
}

function fromS3Notification(value: unknown, body: string): ParsedMessage {
  const parsed = parse(value, undefined, S3NotificationSchema, true);
  if (!parsed.success) {
    throw new MalformedEventError(
      `malformed S3 notification (${firstIssue(parsed.error)}): ${preview(body)}`,
    );
  }
  const created = parsed.data.Records.filter((r) => r.eventName.startsWith('ObjectCreated:'));
  if (created.length === 0) {
    return {
      kind: 'ignored',
      reason: `S3 ${[...new Set(parsed.data.Records.map((r) => r.eventName))].join(', ')} notification`,
    };
  }
  return {
    kind: 'objects',
    objects: created.map((r) => ({
      bucket: r.s3.bucket.name,
      key: decodeNotificationKey(r.s3.object.key),
      etag: r.s3.object.eTag,
      versionId: r.s3.object.versionId ?? undefined,
      via: 's3-notification',
    })),
  };
}

/** S3 notification keys are form-encoded: "red flower.jpg" arrives as "red+flower.jpg", `=` as `%3D`. */
export function decodeNotificationKey(key: string): string {
  return decodePercent(key.replace(/\+/g, ' '));
}

function firstIssue(error: Error): string {
  // Powertools' ParseError carries the Standard Schema issues as its cause.
  const issues = (error as { cause?: unknown }).cause as
    | readonly { path?: readonly unknown[]; message: string }[]
    | undefined;
  const issue = Array.isArray(issues) ? issues[0] : undefined;
  if (!issue) return error.message;
  const path = (issue.path ?? [])
    .map((p: unknown) => (p !== null && typeof p === 'object' && 'key' in p ? String(p.key) : String(p)))
    .join('.');
  return `${path || '(top level)'}: ${issue.message}`;
}

/** Enough of the body to recognise it in a log, never the whole of a large message. */
function preview(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
