import type { CompiledAlerting } from '../core/alerting/alerting-spec.js';
import { conditionOptionsFor } from '../core/alerting/conditions.js';
import { heldDeliveryFinding } from '../core/facts/delivery-checks.js';
import { newestUsageEndOf } from '../core/facts/newest-usage-hour.js';
import { type DetectOptions, type DetectResult, detectAnomalies } from './detect.js';
import { linkEarlyWarnings } from './early-warning.js';
import type { IngestDeps, IngestOptions, IngestReport } from './ingest-delivery.js';
import { type EngineChoice, ingestOnce } from './ingest-once.js';
import { type NotifyDeps, type NotifyReport, notify } from './notify.js';
import type { DeliveryClaims, DeliveryHandle } from './ports/delivery.js';
import type { EarlyWarningStore } from './ports/early-warning.js';
import type { Delivery, FactStore } from './ports/ingest.js';

// ─── the pipeline ──────────────────────────────────────────────────────────────────────────────────

export interface ProcessDeliveryDeps {
  ingest: Omit<IngestDeps, 'engine' | 'onProgress' | 'config'> & { config: IngestOptions & DetectOptions };
  engineFor(delivery: Delivery): EngineChoice;
  claims?: DeliveryClaims | undefined;
  /** Lease of the ingest claim: at least as long as the run may take. */
  leaseMs: number;
  notify: NotifyDeps;
  /** Early-warning state (issue 14): CUR findings an early page announced are linked, not paged again. */
  earlyWarnings?: EarlyWarningStore | undefined;
  alerting: CompiledAlerting;
  onProgress?: ((message: string) => void) | undefined;
}

export interface ProcessDeliveryResult {
  objectKey: string;
  exportName: string;
  ingest: IngestReport;
  /** Days evaluated: the affected billing periods up to the newest usage day. */
  days: string[];
  findings: number;
  /** Final (non-provisional) findings of severity page. */
  pages: number;
  notify: NotifyReport;
  /** Some send must be retried or the notification state failed: run the delivery again later. */
  retryNeeded: boolean;
  /** One line per notification that failed (retry, rejected, error), already redacted. */
  problems: string[];
}

/**
 * One CUR delivery end to end: ingest it (once: ledger check, claim, download, ingest), evaluate the rules
 * over the days it can have changed, and notify. Detection and notification run even when the delivery is
 * unchanged: a retried run must finish the sends an earlier run could not, and the notification log keeps
 * everything already sent from going out again.
 */
export async function processDelivery(
  handle: DeliveryHandle,
  deps: ProcessDeliveryDeps,
): Promise<ProcessDeliveryResult> {
  const { delivery } = handle;
  const report = await ingestOnce(handle, deps);
  const now = deps.ingest.clock();
  const range = await affectedRange(report, deps.ingest.store);
  deps.onProgress?.(`evaluating ${range.from ?? '(default window)'} … ${range.to ?? '(newest day)'}`);
  const detected: DetectResult = await detectAnomalies(
    { from: range.from, to: range.to, now, learningLabels: false },
    { store: deps.ingest.store, config: deps.ingest.config },
  );
  // A held delivery wrote nothing; where no one reads the command's output it must still be seen.
  const today = now.toISOString().slice(0, 10);
  const held = report.held.map((hold) => heldDeliveryFinding(delivery, hold, today));
  const findings = [...held, ...detected.findings];
  const linked = await linkEarlyWarnings(findings, {
    earlyWarnings: deps.earlyWarnings,
    facts: deps.ingest.store,
  });
  const conditions = conditionOptionsFor({
    rules: deps.ingest.config.rules,
    days: detected.days,
    newestUsageHour: detected.newestUsageHour,
    finalAfterHours: deps.ingest.config.completeness.final_after_hours,
  });
  const notified = await notify({ findings: linked.route, alerting: deps.alerting, conditions }, deps.notify);
  const problems = notified.entries
    .filter((e) => e.outcome === 'retry' || e.outcome === 'rejected' || e.outcome === 'error')
    .map(
      (e) =>
        `${e.receiver}/${e.integration} ${e.outcome}${e.destination ? ` (${e.destination})` : ''}: ${e.error ?? 'no detail'}`,
    );
  return {
    objectKey: delivery.objectKey,
    exportName: delivery.exportName,
    ingest: report,
    days: detected.days,
    findings: findings.length,
    pages: findings.filter((f) => f.severity === 'page' && !f.provisional).length,
    notify: notified,
    retryNeeded: notified.retryNeeded || notified.entries.some((e) => e.outcome === 'error'),
    problems,
  };
}

/**
 * The days a delivery can have changed: from the first day of its earliest billing period to the newest
 * usage day in the store (a restated earlier period is evaluated again; its findings already sent stay
 * suppressed by the notification log).
 */
async function affectedRange(
  report: IngestReport,
  store: FactStore,
): Promise<{ from?: string; to?: string }> {
  const newest = newestUsageEndOf(await store.snapshots());
  // Without a watermark, detect picks its default window from the facts themselves.
  if (!newest) return {};
  // The newest usage hour is an end instant: it belongs to the day before it.
  const to = new Date(newest.getTime() - 1).toISOString().slice(0, 10);
  const first = report.periods.map((p) => p.billingPeriod).sort()[0];
  if (!first) return { to };
  const from = `${first}-01`;
  return { from: from <= to ? from : to, to };
}
