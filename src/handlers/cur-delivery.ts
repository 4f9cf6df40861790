import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { emptyCounts, handleDeliveryRecord, type ManifestPipeline } from './runtime/delivery-record.js';
import { createRuntime, type Runtime, type RuntimeOptions } from './runtime/runtime.js';

/** Past the invocation's end, a dead run's claim frees itself after this margin. */
const LEASE_MARGIN_MS = 60_000;
const FALLBACK_LEASE_MS = 15 * 60_000;

/** An EventBridge event delivered straight to the function (a rule targeting it), not through SQS. */
type DirectEvent = { id?: string; 'detail-type': string };

function isSqsEvent(event: SQSEvent | DirectEvent): event is SQSEvent {
  return Array.isArray((event as SQSEvent).Records);
}

/**
 * `cur-delivery`: SQS messages carrying S3 "Object Created" events (EventBridge or S3 notifications) →
 * ingest each CUR manifest → evaluate the days it changed → notify. Records are processed one after another
 * and failures reported per record (`batchItemFailures`), so one bad delivery neither blocks nor re-runs the
 * others. An EventBridge event invoked directly is one record whose failure fails the invocation (Lambda's
 * async retries and on-failure destination apply). `options` are for tests and local hosts; Lambda uses the
 * environment.
 */
export function createCurDeliveryHandler(
  options: RuntimeOptions & { pipeline?: ManifestPipeline | undefined } = {},
) {
  let runtime: Runtime | undefined;
  return async (event: SQSEvent | DirectEvent, context: Context): Promise<SQSBatchResponse> => {
    runtime ??= createRuntime(options);
    const rt = runtime;
    rt.log.addContext?.(context);
    const counts = emptyCounts();
    const remaining = context.getRemainingTimeInMillis?.();
    const leaseMs = remaining && remaining > 0 ? remaining + LEASE_MARGIN_MS : FALLBACK_LEASE_MS;
    const recordContext = { runtime: rt, counts, leaseMs, pipeline: options.pipeline };
    try {
      if (!isSqsEvent(event)) {
        const id = event.id ?? context.awsRequestId;
        await handleDeliveryRecord(
          { messageId: id, body: JSON.stringify(event) } as SQSRecord,
          recordContext,
        );
        return { batchItemFailures: [] };
      }
      return await processPartialResponse(
        event,
        (record: SQSRecord) => handleDeliveryRecord(record, recordContext),
        new BatchProcessor(EventType.SQS),
        // Ingests are heavy (DuckDB, downloads): one at a time. A failed batch is reported, not thrown,
        // so a poisoned delivery walks to the DLQ without counting as a function error.
        { context, processInParallel: false, throwOnFullBatchFailure: false },
      );
    } finally {
      for (const [name, value] of counts) rt.metrics.count(name, value);
      rt.metrics.flush();
    }
  };
}

export const handler = createCurDeliveryHandler();
