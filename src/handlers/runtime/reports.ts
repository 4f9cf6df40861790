import { join, resolve } from 'node:path';
import { parse } from '@aws-lambda-powertools/parser';
import { z } from 'zod';
import { CloudWatchUtilizationSource } from '../../adapters/cloudwatch/utilization-source.js';
import { fileReportWriter } from '../../adapters/local-fs/report-writer.js';
import { UtilizationFileSource } from '../../adapters/local-fs/utilization-file.js';
import { detectedFindings } from '../../app/findings-source.js';
import type { UtilizationSource } from '../../app/ports/reports.js';
import { reviewProvisioned } from '../../app/provisioned-review.js';
import type { ReportDeliveryEntry, ReportRunOutcome } from '../../app/report-delivery.js';
import { sendWeeklyDigest } from '../../app/weekly-digest.js';
import { digestRunOf, type ReviewConfig, reviewRunOf } from '../../config/digest-schema.js';
import { formatIssues } from '../../config/parse-config.js';
import { AppError, ConfigError } from '../../core/errors.js';
import { isIsoWeek } from '../../core/time/iso-week.js';
import { parseQuarter } from '../../core/time/quarter.js';
import { reportReceivers } from './deployment-receivers.js';
import type { Runtime } from './runtime.js';

/** A report that could not go to every receiver; the scheduler retries the invoke (sent ones are not repeated). */
export class ReportDeliveryError extends AppError {
  readonly _tag = 'ReportDeliveryError';
}

/**
 * What EventBridge Scheduler may pass (the schedule's input); all optional. `now` pins the run time,
 * `receivers` overrides the configured list, `send: false` renders without sending.
 */
const ReportEventSchema = z
  .object({
    now: z.iso.datetime({ offset: true }).optional(),
    receivers: z.array(z.string().min(1)).optional(),
    send: z.boolean().optional(),
    week: z.string().refine(isIsoWeek, 'an ISO week like 2026-W23').optional(),
    quarter: z.string().optional(),
  })
  .loose();

type ReportEvent = z.infer<typeof ReportEventSchema>;

function readEvent(event: unknown): ReportEvent {
  return readScheduleInput(event, ReportEventSchema);
}

/** A schedule's input parsed with `schema`; a bad one is a ConfigError listing the issues. */
export function readScheduleInput<S extends z.ZodType>(event: unknown, schema: S): z.infer<S> {
  // Scheduler invokes with the schedule's input, or with nothing at all.
  const value = event === null || event === undefined || typeof event !== 'object' ? {} : event;
  const parsed = parse(value, undefined, schema, true);
  if (!parsed.success) {
    const issues = (parsed.error as { cause?: unknown }).cause;
    throw new ConfigError(
      `invalid schedule input: ${Array.isArray(issues) ? formatIssues(issues as Parameters<typeof formatIssues>[0]) : parsed.error.message}`,
    );
  }
  return parsed.data as z.infer<S>;
}

/** Delivery outcomes a retry can fix (or that an operator must see as a failed invocation). */
function failedDeliveries(deliveries: readonly ReportDeliveryEntry[]): ReportDeliveryEntry[] {
  return deliveries.filter((d) => d.outcome === 'retry' || d.outcome === 'error' || d.outcome === 'rejected');
}

function countDeliveries(runtime: Runtime, deliveries: readonly ReportDeliveryEntry[]): void {
  const count = (outcome: ReportDeliveryEntry['outcome']) =>
    deliveries.filter((d) => d.outcome === outcome).length;
  runtime.metrics.count('ReportsSent', count('delivered'));
  runtime.metrics.count('ReportsAlreadySent', count('already-sent'));
  runtime.metrics.count('ReportsDeferred', count('deferred'));
  runtime.metrics.count('ReportDeliveryFailures', failedDeliveries(deliveries).length);
  // Same alarm as alerts: a report that may not have arrived is recorded as sent.
  runtime.metrics.count('NotificationOutcomeUnknown', count('unknown'));
}

function finish(runtime: Runtime, what: string, deliveries: readonly ReportDeliveryEntry[]): void {
  countDeliveries(runtime, deliveries);
  for (const d of deliveries) {
    const line = `${what} ${d.receiver}/${d.integration} → ${d.destination}: ${d.outcome}`;
    const extra = { receiver: d.receiver, via: d.integration, outcome: d.outcome, detail: d.detail };
    if (d.outcome === 'deferred' || d.outcome === 'held') runtime.log.warn(line, extra);
    else if (failedDeliveries([d]).length > 0) runtime.log.error(line, extra);
    else runtime.log.info(line, extra);
  }
  const failed = failedDeliveries(deliveries);
  if (failed.length > 0) {
    throw new ReportDeliveryError(
      `${what}: ${failed.length} delivery(ies) failed: ${failed.map((d) => `${d.receiver}/${d.integration} ${d.outcome}: ${d.detail ?? ''}`).join('; ')}`,
      { retryable: failed.some((d) => d.outcome !== 'rejected') },
    );
  }
}

function targets(runtime: Runtime) {
  return {
    snsTopicArn: runtime.env.BEDROCK_COST_SNS_TOPIC_ARN,
    slackChannel: runtime.env.BEDROCK_COST_SLACK_CHANNEL,
  };
}

function scratchDir(runtime: Runtime, kind: string, now: Date): string {
  return join(runtime.workDir, 'reports', `${kind}-${now.getTime()}`);
}

export interface ReportRunSummary {
  period: string;
  headline: string;
  complete: boolean;
  notReadyReason: string | null;
  deliveries: { receiver: string; integration: string; outcome: string; detail?: string | undefined }[];
}

function summaryOf(period: string, report: ReportRunOutcome): ReportRunSummary {
  return {
    period,
    headline: report.headline,
    complete: report.complete,
    notReadyReason: report.notReadyReason,
    deliveries: report.deliveries.map((d) => ({
      receiver: d.receiver,
      integration: d.integration,
      outcome: d.outcome,
      detail: d.detail,
    })),
  };
}

/**
 * The time, service config, receivers and common dependencies (delivery, clock, store, a scratch writer) of a
 * scheduled report run; warns when it has no receivers.
 */
async function startReport(runtime: Runtime, input: ReportEvent, what: string, section: 'digest' | 'review') {
  const now = input.now ? new Date(input.now) : runtime.clock();
  const service = await runtime.serviceConfig();
  const { config } = service;
  const receivers = reportReceivers(input.receivers ?? config[section].receivers, config, targets(runtime));
  if (receivers.length === 0)
    runtime.log.warn(`${what}: no receivers (${section}.receivers, Slack channel or topic)`);
  const deps = {
    ...runtime.reportDeps(),
    clock: () => now,
    store: runtime.store,
    writer: fileReportWriter(scratchDir(runtime, section, now)),
  };
  return { now, service, config, receivers, deps };
}

/** The weekly chargeback digest, once per receiver and week (the notification log makes re-runs no-ops). */
export async function runWeeklyDigest(runtime: Runtime, event: unknown): Promise<ReportRunSummary> {
  const input = readEvent(event);
  const { now, service, config, receivers, deps } = await startReport(
    runtime,
    input,
    'weekly digest',
    'digest',
  );
  const report = await sendWeeklyDigest(
    {
      ...(input.week ? { week: input.week } : {}),
      ...digestRunOf(config),
      receivers,
      send: input.send ?? true,
    },
    {
      ...deps,
      earlyWarnings: runtime.earlyWarnings,
      findings: detectedFindings({
        store: runtime.store,
        config,
        alerting: service.alerting,
        log: runtime.notificationLog,
        silences: runtime.silences,
        now,
      }),
      feedback: runtime.feedback,
    },
  );
  runtime.log.info(`weekly digest ${report.week}: ${report.headline}`, {
    week: report.week,
    complete: report.complete,
    reconciled: report.reconciliation.ok,
    notReadyReason: report.notReadyReason,
  });
  if (!report.reconciliation.ok)
    runtime.log.error(`weekly digest ${report.week}: ${report.reconciliation.line}`);
  finish(runtime, `weekly digest ${report.week}`, report.deliveries);
  return summaryOf(report.week, report);
}

/** The quarterly provisioned-commitment review, once per receiver and quarter. */
export async function runQuarterlyReview(runtime: Runtime, event: unknown): Promise<ReportRunSummary> {
  const input = readEvent(event);
  if (input.quarter !== undefined) parseQuarter(input.quarter);
  const { config, receivers, deps } = await startReport(runtime, input, 'quarterly review', 'review');
  const reviewConfig = config.review;
  const report = await reviewProvisioned(
    {
      ...(input.quarter ? { quarter: input.quarter } : {}),
      ...reviewRunOf(config),
      receivers,
      send: input.send ?? true,
    },
    { ...deps, utilization: utilizationSource(runtime, reviewConfig) },
  );
  runtime.log.info(`quarterly review ${report.quarter}: ${report.headline}`, {
    quarter: report.quarter,
    complete: report.complete,
    notReadyReason: report.notReadyReason,
  });
  if (report.utilizationError) runtime.log.warn(`utilization unavailable: ${report.utilizationError}`);
  finish(runtime, `quarterly review ${report.quarter}`, report.deliveries);
  return summaryOf(report.quarter, report);
}

function utilizationSource(runtime: Runtime, config: ReviewConfig): UtilizationSource | undefined {
  switch (config.utilization.source) {
    case 'none':
      return undefined;
    case 'file':
      // A file bundled in the package, next to a bundled config.
      return new UtilizationFileSource(resolve(runtime.baseDir, config.utilization.file!));
    case 'cloudwatch': {
      const allowed = runtime.env.BEDROCK_COST_METRIC_REGIONS;
      return new CloudWatchUtilizationSource({
        periodSeconds: config.utilization.period_seconds,
        clientFor: (region) => {
          // The function may read metrics only there (IAM aws:RequestedRegion); say so instead of AccessDenied.
          if (allowed.length > 0 && !allowed.includes(region)) {
            throw new ConfigError(
              `a commitment is in ${region}, which is not in BEDROCK_COST_METRIC_REGIONS (${allowed.join(', ')}); redeploy with -c metricRegions=…`,
            );
          }
          return runtime.cloudWatchFor(region);
        },
      });
    }
  }
}
