import { randomUUID } from 'node:crypto';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import type { HandlerLog, MetricSink } from '../../src/handlers/runtime/observability.js';

/** A Lambda context as the runtime passes it; `remainingMs` is what getRemainingTimeInMillis answers. */
export function fakeContext(options: { functionName?: string; remainingMs?: number } = {}): Context {
  const functionName = options.functionName ?? 'bedrock-cost-cur-delivery';
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:111111111111:function:${functionName}`,
    memoryLimitInMB: '2048',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/22/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => options.remainingMs ?? 900_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** One SQS record with the given body, shaped as Lambda's SQS event source delivers it. */
export function sqsRecord(body: string, messageId: string = randomUUID()): SQSRecord {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1781000000000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1781000000001',
    },
    messageAttributes: {},
    md5OfBody: 'not-checked',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:111111111111:bedrock-cost-ingest',
    awsRegion: 'us-east-1',
  };
}

export function sqsEvent(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

export interface ObjectRef {
  bucket: string;
  key: string;
  etag?: string;
  versionId?: string;
}

/** The EventBridge "Object Created" event S3 sends (the message body the stack's rule puts in SQS). */
export function eventBridgeBody(object: ObjectRef): string {
  return JSON.stringify({
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '111111111111',
    time: '2026-11-22T01:00:00Z',
    region: 'us-east-1',
    resources: [`arn:aws:s3:::${object.bucket}`],
    detail: {
      version: '0',
      bucket: { name: object.bucket },
      object: {
        key: object.key,
        size: 1024,
        ...(object.etag ? { etag: object.etag.replace(/"/g, '') } : {}),
        ...(object.versionId ? { 'version-id': object.versionId } : {}),
        sequencer: '0064D3901D00059242',
      },
      'request-id': 'N4N7GDK58NMKJ12R',
      requester: '111111111111',
      'source-ip-address': '127.0.0.1',
      reason: 'PutObject',
    },
  });
}

/** S3's form encoding of keys in notifications: spaces as '+', reserved characters percent-encoded. */
export function encodeNotificationKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}

/** A classic S3 event notification (bucket → SQS directly), key encoded as S3 encodes it. */
export function s3NotificationBody(object: ObjectRef, eventName = 'ObjectCreated:Put'): string {
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: '2026-11-22T01:00:00.000Z',
        eventName,
        userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'EXAMPLE123456789', 'x-amz-id-2': 'EXAMPLE123/abc' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'cur-manifests',
          bucket: {
            name: object.bucket,
            ownerIdentity: { principalId: 'EXAMPLE' },
            arn: `arn:aws:s3:::${object.bucket}`,
          },
          object: {
            key: encodeNotificationKey(object.key),
            size: 1024,
            ...(object.etag ? { eTag: object.etag.replace(/"/g, '') } : {}),
            ...(object.versionId ? { versionId: object.versionId } : {}),
            sequencer: '0A1B2C3D4E5F678901',
          },
        },
      },
    ],
  });
}

/** What S3 sends once when a notification configuration is saved. */
export function s3TestEventBody(bucket: string): string {
  return JSON.stringify({
    Service: 'Amazon S3',
    Event: 's3:TestEvent',
    Time: '2026-11-22T01:00:00.000Z',
    Bucket: bucket,
    RequestId: 'EXAMPLE',
    HostId: 'EXAMPLE',
  });
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  extra: Record<string, unknown> | undefined;
}

/** A HandlerLog that keeps every line, for assertions (and to keep test output quiet). */
export function recordingLog(): HandlerLog & { lines: LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (message: string, extra?: Record<string, unknown>) => {
    lines.push({ level, message, extra });
  };
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    text: () =>
      lines.map((l) => `${l.level} ${l.message} ${l.extra ? JSON.stringify(l.extra) : ''}`).join('\n'),
  };
}

/** A MetricSink that sums what each flush published. */
export function recordingMetrics(): MetricSink & {
  flushed: Map<string, number>[];
  total(name: string): number;
} {
  const flushed: Map<string, number>[] = [];
  let pending = new Map<string, number>();
  return {
    flushed,
    count(name, value) {
      pending.set(name, (pending.get(name) ?? 0) + value);
    },
    flush() {
      flushed.push(pending);
      pending = new Map();
    },
    total: (name) => flushed.reduce((sum, m) => sum + (m.get(name) ?? 0), 0),
  };
}
