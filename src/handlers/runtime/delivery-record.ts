import { join } from 'node:path';
import type { SQSRecord } from 'aws-lambda';
import { openS3Delivery } from '../../adapters/delivery-handles.js';
import { classifyObject } from '../../adapters/s3/cur-objects.js';
import { bareEtag } from '../../adapters/s3/s3-objects.js';
import { DeliveryInProgressError } from '../../app/ingest-once.js';
import { NOTIFY_METRICS } from '../../app/notify.js';
import { type ProcessDeliveryResult, processDelivery } from '../../app/process-delivery.js';
import { AppError } from '../../core/errors.js';
import { describeShrink } from '../../core/facts/delivery-checks.js';
import { formatMoney } from '../../core/money.js';
import { describeRedacted } from '../../core/render/redact.js';
import type { Runtime } from './runtime.js';
import { parseDeliveryMessage } from './s3-event.js';

/** Notifications that must be sent again: fail the record so SQS redelivers it (sent ones are not repeated). */
export class NotificationsPendingError extends AppError {
  readonly _tag = 'NotificationsPendingError';
}

/** Per-invocation counters beside the notify report's, all under the one `service` dimension. */
export const DELIVERY_METRICS = [
  'DeliveriesIngested',
  'DeliveriesUnchanged',
  'DeliveriesFailed',
  'DeliveriesHeld',
  'DeliveriesShrinkHeld',
  'EventsIgnored',
] as const;

export type MetricCounts = Map<string, number>;

export function emptyCounts(): MetricCounts {
  return new Map([...NOTIFY_METRICS, ...DELIVERY_METRICS].map((name) => [name, 0]));
}

function add(counts: MetricCounts, name: string, value = 1): void {
  counts.set(name, (counts.get(name) ?? 0) + value);
}

/** Runs one manifest through the pipeline; replaced in tests that exercise only the event handling. */
export type ManifestPipeline = (
  manifestUri: string,
  eventEtag: string | undefined,
  ctx: RecordContext,
  messageId: string,
) => Promise<ProcessDeliveryResult>;

export interface RecordContext {
  runtime: Runtime;
  counts: MetricCounts;
  /** How long an ingest claim holds if this invocation dies (about its remaining time). */
  leaseMs: number;
  pipeline?: ManifestPipeline | undefined;
}

/**
 * One SQS message: parse the event, keep the billing-period manifests of the configured export, and run each
 * through the delivery pipeline. Throws (the record is reported as failed and SQS redelivers it, up to the
 * DLQ) when the message is malformed, a delivery fails, or a notification must be retried.
 */
export async function handleDeliveryRecord(record: SQSRecord, ctx: RecordContext): Promise<void> {
  const { runtime, counts } = ctx;
  const log = runtime.log;
  let parsed: ReturnType<typeof parseDeliveryMessage>;
  try {
    parsed = parseDeliveryMessage(record.body);
  } catch (error) {
    add(counts, 'DeliveriesFailed');
    log.error('malformed message: not an S3 object event', {
      messageId: record.messageId,
      error: describeRedacted(error),
    });
    throw error;
  }
  if (parsed.kind === 'ignored') {
    add(counts, 'EventsIgnored');
    log.info(`ignored: ${parsed.reason}`, { messageId: record.messageId });
    return;
  }
  const manifests = new Map<string, string | undefined>();
  for (const object of parsed.objects) {
    const target = classifyObject(object, runtime.env.BEDROCK_COST_CUR_EXPORT);
    if (target.kind === 'ignored') {
      add(counts, 'EventsIgnored');
      log[target.level](`ignored s3://${object.bucket}/${object.key}: ${target.reason}`, {
        messageId: record.messageId,
      });
      continue;
    }
    manifests.set(target.uri, object.etag);
  }
  // Every manifest of the message is tried; the record fails (and is redelivered) if any did.
  let failure: unknown;
  for (const [uri, etag] of manifests) {
    try {
      const result = await (ctx.pipeline ?? s3ManifestPipeline)(uri, etag, ctx, record.messageId);
      add(
        counts,
        result.ingest.status === 'ingested'
          ? 'DeliveriesIngested'
          : result.ingest.status === 'held'
            ? 'DeliveriesShrinkHeld'
            : 'DeliveriesUnchanged',
      );
      for (const hold of result.ingest.held) {
        log.warn(`delivery held, nothing written: ${uri}: ${describeShrink(result.exportName, hold)}`, {
          messageId: record.messageId,
          manifest: uri,
          billingPeriod: hold.billingPeriod,
          storedCostUnblended: formatMoney(hold.storedCost),
          deliveredCostUnblended: formatMoney(hold.deliveredCost),
        });
      }
      for (const name of NOTIFY_METRICS) add(counts, name, result.notify.metrics[name]);
      if (result.retryNeeded) {
        throw new NotificationsPendingError(
          `${uri}: ${result.problems.length} notification(s) not sent yet (${result.problems.join('; ')}); the message will be redelivered`,
          { retryable: true },
        );
      }
    } catch (error) {
      if (error instanceof DeliveryInProgressError) {
        // Normal contention (a duplicated event): the other run ingests and notifies; this one is redelivered.
        add(counts, 'DeliveriesHeld');
        log.warn(`delivery in progress elsewhere, will be redelivered: ${uri}`, {
          messageId: record.messageId,
          manifest: uri,
          error: describeRedacted(error),
        });
        failure ??= error;
        continue;
      }
      add(counts, 'DeliveriesFailed');
      log.error(`delivery failed: ${uri}`, {
        messageId: record.messageId,
        manifest: uri,
        retryable: (error as { retryable?: unknown }).retryable === true,
        error: describeRedacted(error),
      });
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
}

/** The manifest in S3 → open (read + HEAD) → ingest once → detect → notify; temporary files removed after. */
export const s3ManifestPipeline: ManifestPipeline = async (uri, eventEtag, ctx, messageId) => {
  const { runtime } = ctx;
  const log = runtime.log;
  const { config, alerting, catalog } = await runtime.serviceConfig();
  const handle = await openS3Delivery(uri, { client: runtime.s3(), workDir: join(runtime.workDir, 'cur') });
  try {
    const manifestEtag = handle.delivery.version.split(';')[0];
    if (eventEtag && manifestEtag !== bareEtag(eventEtag)) {
      // A newer manifest replaced the one the event announced; its own event follows and will be a no-op.
      log.info(
        `manifest changed since the event (ETag ${bareEtag(eventEtag)} → ${manifestEtag}); ingesting the current one`,
        {
          messageId,
          manifest: uri,
        },
      );
    }
    const result = await processDelivery(handle, {
      ingest: { store: runtime.store, ledger: runtime.ledger, config, catalog, clock: runtime.clock },
      engineFor: runtime.engineFor,
      claims: runtime.ledger,
      leaseMs: ctx.leaseMs,
      notify: runtime.notifyDeps(),
      earlyWarnings: runtime.earlyWarnings,
      alerting,
      onProgress: (message) => log.debug(message, { manifest: uri }),
    });
    log.info(`delivery ${result.ingest.status}: ${uri}`, {
      messageId,
      manifest: uri,
      export: result.exportName,
      periods: result.ingest.periods.map((p) => p.billingPeriod),
      facts: result.ingest.facts,
      costUnblended: formatMoney(result.ingest.cost),
      daysEvaluated: result.days.length,
      findings: result.findings,
      pages: result.pages,
      notifications: result.notify.entries.map((e) => ({
        receiver: e.receiver,
        via: e.integration,
        outcome: e.outcome,
        groupKey: e.groupKey,
      })),
      warnings: result.ingest.warnings,
    });
    for (const problem of result.problems) log.warn(`notification problem: ${problem}`, { manifest: uri });
    return result;
  } finally {
    await handle.dispose();
  }
};
