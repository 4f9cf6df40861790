import { z } from 'zod';
import { recordEarlyWarningRun, runEarlyWarning } from '../../app/early-warning.js';
import { notify } from '../../app/notify.js';
import { AppError, ConfigError } from '../../core/errors.js';
import { formatMoney } from '../../core/money.js';
import { regionOf } from './env.js';
import { type ReportRunSummary, readScheduleInput } from './reports.js';
import type { Runtime } from './runtime.js';

/** A run whose notifications must be retried: Scheduler retries the invoke (sent ones are not repeated). */
export class EarlyWarningDeliveryError extends AppError {
  readonly _tag = 'EarlyWarningDeliveryError';
}

/** The schedule's input, all optional: `now` pins the run time, `hours` re-judges more hours (default 1). */
const EarlyWarningEventSchema = z
  .object({
    now: z.iso.datetime({ offset: true }).optional(),
    hours: z.number().int().min(1).max(336).optional(),
    send: z.boolean().optional(),
  })
  .loose();

function readEvent(event: unknown): z.infer<typeof EarlyWarningEventSchema> {
  return readScheduleInput(event, EarlyWarningEventSchema);
}

/**
 * The hourly early warning (EventBridge Scheduler): CloudWatch metrics of the last complete hour priced and
 * attributed from the facts, judged, routed at most once, and recorded for CUR to confirm. The CloudWatch
 * SDK is loaded here, on the first run, not at cold start of the other handlers' shared runtime.
 */
export async function runEarlyWarningSchedule(runtime: Runtime, event: unknown): Promise<ReportRunSummary> {
  const input = readEvent(event);
  const service = await runtime.serviceConfig();
  const { config } = service;
  const now = input.now ? new Date(input.now) : runtime.clock();
  const { CloudWatchMetricsSource } = await import('../../adapters/cloudwatch/metrics-source.js');
  const regions =
    config.early_warning.regions.length > 0
      ? config.early_warning.regions
      : runtime.env.BEDROCK_COST_METRIC_REGIONS.length > 0
        ? runtime.env.BEDROCK_COST_METRIC_REGIONS
        : [regionOf(runtime.env)];
  const allowed = runtime.env.BEDROCK_COST_METRIC_REGIONS;
  const source = new CloudWatchMetricsSource({
    regions,
    defaultAccount: config.early_warning.account_id,
    clientFor: (region) => {
      if (allowed.length > 0 && !allowed.includes(region)) {
        throw new ConfigError(
          `early_warning.regions names ${region}, which is not in BEDROCK_COST_METRIC_REGIONS (${allowed.join(', ')}); redeploy with -c metricRegions=…`,
        );
      }
      return runtime.cloudWatchFor(region);
    },
  });
  const run = await runEarlyWarning(
    { now, hours: input.hours ?? 1 },
    { store: runtime.store, config, metrics: source },
  );
  const send = input.send !== false;
  const report = await notify(
    { findings: run.findings, alerting: service.alerting, dryRun: !send },
    runtime.notifyDeps(),
  );
  if (send)
    await recordEarlyWarningRun(runtime.earlyWarnings, {
      estimates: run.estimates,
      findings: run.findings,
      now,
    });

  const pages = run.findings.filter((f) => f.severity === 'page').length;
  runtime.metrics.count('EarlyWarningFindings', run.findings.length);
  runtime.metrics.count('EarlyWarningPages', pages);
  runtime.metrics.count('NotificationsSent', report.metrics.NotificationsSent);
  runtime.metrics.count('NotificationOutcomeUnknown', report.metrics.NotificationOutcomeUnknown);
  const headline = `${run.hours.length} hour(s) to ${run.hours.at(-1)}: ${run.estimates.length} workload hour(s) estimated, ${run.findings.length} finding(s), ${pages} page(s)`;
  runtime.log.info(`early warning ${headline}`, {
    datapoints: run.datapoints,
    factsRead: run.factsRead,
    findings: run.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      workload: f.labels.workload,
      hour: f.hour,
      estimate: formatMoney(f.figures.today),
    })),
  });
  const deliveries = report.entries.map((e) => ({
    receiver: e.receiver,
    integration: e.integration,
    outcome: e.outcome,
    ...(e.error ? { detail: e.error } : {}),
  }));
  const failed = report.entries.filter(
    (e) => e.outcome === 'retry' || e.outcome === 'error' || e.outcome === 'rejected',
  );
  if (failed.length > 0) {
    throw new EarlyWarningDeliveryError(
      `early warning: ${failed.length} delivery(ies) failed: ${failed.map((e) => `${e.receiver}/${e.integration} ${e.outcome}: ${e.error ?? ''}`).join('; ')}`,
      { retryable: failed.some((e) => e.outcome !== 'rejected') },
    );
  }
  return { period: run.hours.at(-1)!, headline, complete: true, notReadyReason: null, deliveries };
}
