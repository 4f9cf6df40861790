import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { Command, Option } from 'commander';
import { CloudWatchUtilizationSource } from '../../adapters/cloudwatch/utilization-source.js';
import { fileReportWriter } from '../../adapters/local-fs/report-writer.js';
import { UtilizationFileSource } from '../../adapters/local-fs/utilization-file.js';
import type { UtilizationSource } from '../../app/ports/reports.js';
import { type ProvisionedReviewReport, reviewProvisioned } from '../../app/provisioned-review.js';
import { resolveReceivers } from '../../app/report-delivery.js';
import { type ReviewConfig, reviewRunOf } from '../../config/digest-schema.js';
import { formatMoney, formatUsd } from '../../core/money.js';
import { parseQuarter } from '../../core/time/quarter.js';
import { printJson } from '../output/format-option.js';
import { renderTable } from '../output/table.js';
import { perRegion } from '../per-region.js';
import {
  deliveriesTable,
  exitCodeOf,
  openReportRun,
  type ReportCliOptions,
  receiverNames,
  reportCommandOptions,
} from './digest.js';

interface ReviewCliOptions extends ReportCliOptions {
  quarter?: string;
  utilization?: 'none' | 'cloudwatch' | 'file';
  utilizationFile?: string;
}

function utilizationSource(config: ReviewConfig, options: ReviewCliOptions): UtilizationSource | undefined {
  const file = options.utilizationFile ?? config.utilization.file;
  const kind = options.utilizationFile ? 'file' : (options.utilization ?? config.utilization.source);
  switch (kind) {
    case 'none':
      return undefined;
    case 'file':
      if (!file)
        throw new Error('--utilization file needs --utilization-file <csv|json> or review.utilization.file');
      return new UtilizationFileSource(file);
    case 'cloudwatch': {
      return new CloudWatchUtilizationSource({
        periodSeconds: config.utilization.period_seconds,
        clientFor: perRegion((region) => new CloudWatchClient({ region })),
      });
    }
  }
}

export function reviewCommand(): Command {
  const review = new Command('review').description('Periodic reviews of Bedrock commitments.');
  const provisioned = review
    .command('provisioned')
    .description(
      'Quarterly review of Provisioned Throughput (no-commit, 1-month, 6-month) and Reserved tier commitments\n' +
        'found in CUR: model, region, account, workload, units, hours paid, cost, first/last seen, term;\n' +
        'utilization from CloudWatch AWS/Bedrock (Invocations, InputTokenCount, OutputTokenCount by ModelId =\n' +
        'the provisioned model ARN) or a CSV/JSON file — missing datapoints are unknown, never zero; the\n' +
        'on-demand equivalent at the effective on-demand rate observed in the same CUR; break-even; idle hours;\n' +
        'a recommendation with its dollar effect (keep, reduce units, let expire, move to on-demand); and\n' +
        'on-demand workloads that would be cheaper on a commitment.\n\n' +
        'Writes CSV, HTML and JSON to --out; --send delivers to review.receivers once per receiver and quarter.',
    )
    .option('--quarter <YYYY-Qn>', 'quarter, e.g. 2026-Q2 (default: the last quarter that has ended)');
  reportCommandOptions(provisioned, 'review', 'quarter', 'review:, receivers:')
    .addOption(
      new Option('--utilization <source>', 'utilization source (default: review.utilization.source)').choices(
        ['none', 'cloudwatch', 'file'],
      ),
    )
    .option('--utilization-file <path>', 'CSV or JSON utilization readings (implies --utilization file)')
    .action(async (options: ReviewCliOptions) => {
      process.exitCode = await runReview(options);
    });
  return review;
}

async function runReview(options: ReviewCliOptions): Promise<number> {
  if (options.quarter !== undefined) {
    try {
      parseQuarter(options.quarter);
    } catch {
      throw new Error(`--quarter must be a quarter like 2026-Q2 (Q1–Q4), got "${options.quarter}"`);
    }
  }
  const { config, store, deps } = await openReportRun(options);
  const reviewConfig = config.review;
  const report = await reviewProvisioned(
    {
      ...(options.quarter ? { quarter: options.quarter } : {}),
      ...reviewRunOf(config),
      receivers: resolveReceivers(receiverNames(options.receiver, reviewConfig.receivers), config.receivers),
      send: options.send === true,
    },
    {
      ...deps,
      store,
      writer: fileReportWriter(options.out ?? reviewConfig.out_dir),
      utilization: utilizationSource(reviewConfig, options),
    },
  );
  if (options.format === 'json') printJson(reviewJson(report));
  else printReview(report, options.send === true);
  return exitCodeOf(true, report.deliveries);
}

function reviewJson(report: ProvisionedReviewReport) {
  return {
    quarter: report.quarter,
    complete: report.complete,
    headline: report.headline,
    totals: report.totals,
    commitments: report.review.commitments.map((r) => ({
      id: r.commitment.id,
      kind: r.commitment.kind,
      term: r.commitment.term,
      model: r.commitment.model,
      region: r.commitment.region,
      account: r.commitment.account,
      workload: r.commitment.workload,
      units: r.commitment.units,
      hours_paid: r.commitment.hoursPaid,
      cost: formatMoney(r.commitment.cost),
      first_seen: r.commitment.firstSeen,
      last_seen: r.commitment.lastSeen,
      hours: {
        active: r.utilization.activeHours,
        idle: r.utilization.idleHours,
        unknown: r.utilization.unknownHours,
      },
      on_demand_equivalent: r.onDemandEquivalent === null ? null : formatMoney(r.onDemandEquivalent),
      value_ratio: r.valueRatio,
      utilization: r.utilizationRate,
      break_even_utilization: r.breakEvenUtilization,
      bypass_on_demand: formatMoney(r.bypass.cost),
      recommendation: r.recommendation.action,
      target_units: r.recommendation.targetUnits,
      effect: r.recommendation.effect === null ? null : formatMoney(r.recommendation.effect),
      reasons: r.recommendation.reasons,
    })),
    candidates: report.review.candidates.map((c) => ({
      workload: c.workload,
      model: c.model,
      region: c.region,
      option: c.option,
      on_demand_cost: formatMoney(c.onDemandCost),
      commitment_cost: formatMoney(c.commitmentCost),
      savings: formatMoney(c.savings),
    })),
    utilization_error: report.utilizationError,
    files: report.files,
    not_ready_reason: report.notReadyReason,
    deliveries: report.deliveries,
  };
}

function printReview(report: ProvisionedReviewReport, send: boolean): void {
  const r = report.review;
  const lines = [report.headline];
  if (report.utilizationError)
    lines.push(`Utilization source failed (all hours unknown): ${report.utilizationError}`);
  lines.push('');
  if (r.commitments.length === 0)
    lines.push('No Provisioned Throughput or Reserved tier charges in this quarter.');
  else {
    lines.push(
      renderTable(
        ['model', 'kind', 'term', 'units', 'hours', 'cost', 'od equiv', 'value', 'recommendation', 'effect'],
        r.commitments.map((c) => [
          c.commitment.model,
          c.commitment.kind === 'reserved-tier' ? `reserved ${c.commitment.direction ?? ''}` : 'PT',
          c.commitment.term,
          String(c.commitment.units),
          String(Math.round(c.commitment.hoursPaid)),
          formatUsd(c.commitment.cost),
          c.onDemandEquivalent === null ? '—' : formatUsd(c.onDemandEquivalent),
          c.valueRatio === null ? '—' : `${c.valueRatio.toFixed(2)}×`,
          c.recommendation.action +
            (c.recommendation.targetUnits === null ? '' : ` → ${c.recommendation.targetUnits}`),
          c.recommendation.effect === null ? '—' : formatUsd(c.recommendation.effect),
        ]),
        [3, 4, 5, 6, 7, 9],
      ),
    );
  }
  if (r.candidates.length > 0) {
    lines.push('', 'Cheaper on a commitment:');
    for (const c of r.candidates)
      lines.push(`  ${c.workload} → ${c.model}: ${c.option}, saves ${formatUsd(c.savings)}`);
  }
  lines.push('', `Files: ${report.files.map((f) => f.path).join(', ')}`);
  if (send) {
    lines.push(
      report.deliveries.length === 0
        ? 'Nothing to send: review.receivers is empty.'
        : deliveriesTable(report.deliveries),
    );
  } else lines.push('Not sent (--send not given).');
  process.stdout.write(`${lines.join('\n')}\n`);
}
