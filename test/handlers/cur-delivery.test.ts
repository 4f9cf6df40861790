import { describe, expect, it } from 'vitest';
import type { ProcessDeliveryResult } from '../../src/app/process-delivery.js';
import { createCurDeliveryHandler } from '../../src/handlers/cur-delivery.js';
import type { ManifestPipeline } from '../../src/handlers/runtime/delivery-record.js';
import {
  eventBridgeBody,
  fakeContext,
  recordingLog,
  recordingMetrics,
  s3NotificationBody,
  s3TestEventBody,
  sqsEvent,
  sqsRecord,
} from '../helpers/lambda.js';

const BUCKET = 'cur-bucket';
const EXPORT_ROOT = 'cur/bedrock-export';
const manifestKey = (period: string) =>
  `${EXPORT_ROOT}/metadata/BILLING_PERIOD=${period}/bedrock-export-Manifest.json`;

const ENV = {
  BEDROCK_COST_STORE: 's3://facts-bucket/bedrock-cost',
  BEDROCK_COST_STATE_TABLE: 'state',
  BEDROCK_COST_CUR_EXPORT: `s3://${BUCKET}/${EXPORT_ROOT}`,
  AWS_REGION: 'us-east-1',
};

function result(uri: string, overrides: Partial<ProcessDeliveryResult> = {}): ProcessDeliveryResult {
  return {
    objectKey: uri,
    exportName: 'bedrock-export',
    ingest: {
      objectKey: uri,
      exportName: 'bedrock-export',
      status: 'ingested',
      format: 'cur2',
      rowsRead: 1,
      bedrockLineItems: 1,
      groups: 1,
      facts: 1,
      cost: 0n as never,
      periods: [],
      emptyFiles: [],
      coverage: null,
      warnings: [],
      held: [],
    },
    days: [],
    findings: 0,
    pages: 0,
    notify: {
      dryRun: false,
      entries: [],
      retryNeeded: false,
      metrics: {
        NotificationsSent: 1,
        NotificationsSuppressed: 0,
        NotificationsMuted: 0,
        NotificationsRecorded: 0,
        NotificationClaimHeld: 0,
        NotificationRetryable: 0,
        NotificationRejected: 0,
        NotificationOutcomeUnknown: 0,
        NotificationStoreErrors: 0,
      },
      expiredSilenceIds: [],
    },
    retryNeeded: false,
    problems: [],
    ...overrides,
  };
}

/** A handler whose pipeline only records which manifests it was given (and fails the ones told to). */
function setup(failFor: (uri: string) => Error | null = () => null) {
  const calls: { uri: string; etag: string | undefined }[] = [];
  const pipeline: ManifestPipeline = async (uri, etag) => {
    calls.push({ uri, etag });
    const error = failFor(uri);
    if (error) throw error;
    return result(uri);
  };
  const log = recordingLog();
  const metrics = recordingMetrics();
  const handler = createCurDeliveryHandler({ env: ENV, log, metrics, pipeline });
  return { handler, calls, log, metrics };
}

describe('cur-delivery handler: events', () => {
  it('acts on an EventBridge "Object Created" event for a CUR 2.0 manifest', async () => {
    // Prepare
    const { handler, calls, metrics } = setup();
    const key = manifestKey('2026-10');

    // Act
    const response = await handler(
      sqsEvent(sqsRecord(eventBridgeBody({ bucket: BUCKET, key, etag: 'abc123' }))),
      fakeContext(),
    );

    // Assert
    expect(response.batchItemFailures).toEqual([]);
    expect(calls).toEqual([{ uri: `s3://${BUCKET}/${key}`, etag: 'abc123' }]);
    expect(metrics.total('DeliveriesIngested')).toBe(1);
    expect(metrics.total('NotificationsSent')).toBe(1);
    // Every notify metric is published, zero or not, under the one flush of the invocation.
    expect(metrics.flushed).toHaveLength(1);
    expect(metrics.flushed[0]!.has('NotificationOutcomeUnknown')).toBe(true);
  });

  it('decodes the URL-encoded key of an S3 notification record (`=` as %3D, space as +)', async () => {
    // Prepare
    const { handler, calls } = setup();
    const key = `${EXPORT_ROOT}/metadata/BILLING_PERIOD=2026-10/bedrock export-Manifest.json`;
    const body = s3NotificationBody({ bucket: BUCKET, key, etag: 'e1', versionId: 'v1' });

    // Act
    const response = await handler(sqsEvent(sqsRecord(body)), fakeContext());

    // Assert
    expect(JSON.parse(body).Records[0].s3.object.key).toContain('BILLING_PERIOD%3D2026-10/bedrock+export');
    expect(response.batchItemFailures).toEqual([]);
    expect(calls.map((c) => c.uri)).toEqual([`s3://${BUCKET}/${key}`]);
  });

  it('ignores data files, unrelated keys, other exports, legacy assembly copies and test events', async () => {
    // Prepare
    const { handler, calls, log, metrics } = setup();
    const bodies = [
      eventBridgeBody({
        bucket: BUCKET,
        key: `${EXPORT_ROOT}/data/BILLING_PERIOD=2026-10/part-00001.snappy.parquet`,
      }),
      eventBridgeBody({ bucket: BUCKET, key: `${EXPORT_ROOT}/README.txt` }),
      eventBridgeBody({
        bucket: BUCKET,
        key: 'cur/other-export/metadata/BILLING_PERIOD=2026-10/other-export-Manifest.json',
      }),
      eventBridgeBody({ bucket: 'someone-elses-bucket', key: manifestKey('2026-10') }),
      s3NotificationBody({ bucket: BUCKET, key: 'legacy/rep/20261001-20261101/0f1e2d3c/rep-Manifest.json' }),
      s3TestEventBody(BUCKET),
      s3NotificationBody({ bucket: BUCKET, key: manifestKey('2026-10') }, 'ObjectRemoved:Delete'),
    ];

    // Act
    const response = await handler(sqsEvent(...bodies.map((b) => sqsRecord(b))), fakeContext());

    // Assert
    expect(response.batchItemFailures).toEqual([]);
    expect(calls).toEqual([]);
    expect(metrics.total('EventsIgnored')).toBe(bodies.length);
    const text = log.text();
    expect(text).toContain('data file (read through its manifest)');
    expect(text).toContain('README.txt: not a CUR manifest');
    expect(text).toContain(`not under the configured export s3://${BUCKET}/${EXPORT_ROOT}`);
    expect(text).toContain('legacy assembly copy');
    expect(text).toContain('S3 test event');
    expect(text).toContain('ObjectRemoved:Delete');
    // Data files and stray keys are routine: debug, not noise at info.
    const dataLine = log.lines.find((l) => l.message.includes('part-00001'));
    expect(dataLine?.level).toBe('debug');
  });

  it('reports a malformed body as that record failing, with a clear log, and processes the others', async () => {
    // Prepare
    const { handler, calls, log } = setup();
    const good1 = sqsRecord(eventBridgeBody({ bucket: BUCKET, key: manifestKey('2026-09') }), 'good-1');
    const notJson = sqsRecord('{"detail-type": "Object Created", oops', 'bad-json');
    const wrongShape = sqsRecord(
      JSON.stringify({ 'detail-type': 'Object Created', source: 'aws.s3', detail: {} }),
      'bad-shape',
    );
    const good2 = sqsRecord(eventBridgeBody({ bucket: BUCKET, key: manifestKey('2026-10') }), 'good-2');

    // Act
    const response = await handler(sqsEvent(good1, notJson, wrongShape, good2), fakeContext());

    // Assert
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'bad-json' },
      { itemIdentifier: 'bad-shape' },
    ]);
    expect(calls.map((c) => c.uri)).toEqual([
      `s3://${BUCKET}/${manifestKey('2026-09')}`,
      `s3://${BUCKET}/${manifestKey('2026-10')}`,
    ]);
    const errors = log.lines.filter((l) => l.level === 'error');
    expect(errors.map((l) => l.extra?.messageId)).toEqual(['bad-json', 'bad-shape']);
    expect(String(errors[0]!.extra?.error)).toContain('message body is not JSON');
    expect(String(errors[1]!.extra?.error)).toContain('malformed EventBridge S3 event (detail.bucket');
  });

  it('fails only the record whose delivery failed, naming the manifest, and counts it', async () => {
    // Prepare
    const bad = manifestKey('2026-08');
    const { handler, log, metrics } = setup((uri) =>
      uri.endsWith(bad) ? new Error(`s3://${BUCKET}/${bad}: boom`) : null,
    );

    // Act
    const response = await handler(
      sqsEvent(
        sqsRecord(eventBridgeBody({ bucket: BUCKET, key: bad }), 'poisoned'),
        sqsRecord(eventBridgeBody({ bucket: BUCKET, key: manifestKey('2026-10') }), 'fine'),
      ),
      fakeContext(),
    );

    // Assert
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'poisoned' }]);
    const failure = log.lines.find((l) => l.level === 'error');
    expect(failure?.message).toBe(`delivery failed: s3://${BUCKET}/${bad}`);
    expect(failure?.extra?.manifest).toBe(`s3://${BUCKET}/${bad}`);
    expect(metrics.total('DeliveriesFailed')).toBe(1);
    expect(metrics.total('DeliveriesIngested')).toBe(1);
  });

  it('fails the record when notifications must be retried, after counting them', async () => {
    // Prepare
    const log = recordingLog();
    const metrics = recordingMetrics();
    const pipeline: ManifestPipeline = async (uri) => {
      const r = result(uri, { retryNeeded: true, problems: ['oncall/slack retry (slack:#x): 503'] });
      r.notify.metrics.NotificationRetryable = 1;
      r.notify.metrics.NotificationsSent = 0;
      return r;
    };
    const handler = createCurDeliveryHandler({ env: ENV, log, metrics, pipeline });

    // Act
    const response = await handler(
      sqsEvent(sqsRecord(eventBridgeBody({ bucket: BUCKET, key: manifestKey('2026-10') }), 'm1')),
      fakeContext(),
    );

    // Assert
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(metrics.total('NotificationRetryable')).toBe(1);
    expect(String(log.lines.find((l) => l.level === 'error')?.extra?.error)).toContain(
      'NotificationsPendingError: s3://cur-bucket/cur/bedrock-export/metadata/BILLING_PERIOD=2026-10/bedrock-export-Manifest.json: 1 notification(s) not sent yet',
    );
  });

  it('accepts an EventBridge event invoked directly, failing the invocation when its delivery fails', async () => {
    // Prepare
    const { handler, calls } = setup((uri) =>
      uri.endsWith(manifestKey('2026-07')) ? new Error('boom') : null,
    );
    const ok = JSON.parse(eventBridgeBody({ bucket: BUCKET, key: manifestKey('2026-10') }));
    const bad = JSON.parse(eventBridgeBody({ bucket: BUCKET, key: manifestKey('2026-07') }));

    // Act
    const response = await handler(ok, fakeContext());
    const failure = handler(bad, fakeContext());

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    await expect(failure).rejects.toThrow('boom');
    expect(calls.map((c) => c.uri)).toEqual([
      `s3://${BUCKET}/${manifestKey('2026-10')}`,
      `s3://${BUCKET}/${manifestKey('2026-07')}`,
    ]);
  });

  it('rejects an invalid environment with every bad variable named', async () => {
    // Prepare
    const handler = createCurDeliveryHandler({
      env: { BEDROCK_COST_ENGINE: 'spark', BEDROCK_COST_CUR_EXPORT: 'cur-bucket/cur' },
      log: recordingLog(),
      metrics: recordingMetrics(),
    });

    // Act
    const run = handler(sqsEvent(), fakeContext());

    // Assert
    await expect(run).rejects.toThrow(
      /BEDROCK_COST_STORE[\s\S]*BEDROCK_COST_STATE_TABLE[\s\S]*BEDROCK_COST_ENGINE/,
    );
  });
});
