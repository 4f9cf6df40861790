import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import {
  earlyWarningStorePath,
  LocalEarlyWarningStore,
} from '../../adapters/local-fs/early-warning-store.js';
import { MetricsFileSource } from '../../adapters/local-fs/metrics-file.js';
import { recordEarlyWarningRun, runEarlyWarning } from '../../app/early-warning.js';
import { type NotifyReport, notify } from '../../app/notify.js';
import type { MetricsSource } from '../../app/ports/early-warning.js';
import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { compileAlerting } from '../../core/alerting/alerting-spec.js';
import type { EarlyFinding } from '../../core/early-warning/rules.js';
import { formatMoney, formatUsd } from '../../core/money.js';
import { localNotifyDeps } from '../alerting/notify-wiring.js';
import { nowOption } from '../options.js';
import { sendExitCode } from '../output/exit-code.js';
import { findingJson } from '../output/finding-json.js';
import { printJson } from '../output/format-option.js';
import { renderTable } from '../output/table.js';
import { perRegion } from '../per-region.js';
import { openExistingStore, STORE_HELP, storeRoot } from '../wiring.js';
import { entryJson, printNotifications, SEND_EXIT_HELP, writeDryRun } from './detect.js';

interface EarlyWarningOptions {
  store?: string;
  config?: string;
  now?: string;
  hours: string;
  metrics?: string;
  cloudwatch?: boolean;
  region?: string[];
  dryRun?: boolean;
  send?: boolean;
  out: string;
  format: 'table' | 'json';
}

export function earlyWarningCommand(): Command {
  return new Command('early-warning')
    .summary('estimate the last hours’ spend from Bedrock’s CloudWatch metrics and page on runaways')
    .description(
      'Early warning within the hour: Bedrock publishes Invocations and token counts to CloudWatch within\n' +
        'minutes (AWS/Bedrock by ModelId, an application inference profile’s ARN being its ModelId;\n' +
        'AWS/BedrockMantle by Model), while CUR arrives 24–48 h later. This prices the metrics at the effective\n' +
        'rates observed in the newest stored facts (cost ÷ tokens per model, usage kind and routing), attributes\n' +
        'them through the inference profile’s CUR resource tags (a base model id: the account’s defaults), and\n' +
        'judges each complete hour (ended early_warning.settle_minutes before --now):\n' +
        '  early-spend-rate             estimated hourly spend ≥ spend_ratio × the same hour of the previous weeks\n' +
        '                               and ≥ min_hourly_spend_usd → page\n' +
        '  early-tokens-per-invocation  tokens per invocation ≥ tokens_per_invocation_ratio × its 7-day median → warning\n' +
        '  early-new-model              a model id or profile with no history → info (warning above the floor)\n' +
        'Findings are estimates (JSON: "estimated": true; figures name the rate used). With --send the hourly\n' +
        'estimates and pages are recorded in <store>/state/early-warning.json; when CUR later reports the same\n' +
        'spike (detect/notify), that finding is linked to the early page and not paged again, and the estimate’s\n' +
        'error (estimate ÷ CUR) appears in the weekly digest.\n\n' +
        'Sources: --metrics FILE (CSV header timestamp,account_id,region,model_id,metric,value; value = the Sum\n' +
        'over the period starting at timestamp) or --cloudwatch (ListMetrics + GetMetricData in early_warning.regions\n' +
        'or --region, default $AWS_REGION).\n\n' +
        SEND_EXIT_HELP,
    )
    .option('--store <dir|s3://bucket/prefix>', STORE_HELP)
    .option('--config <file>', 'YAML config (early_warning:, routes, receivers); defaults apply without it')
    .option('--now <ISO time>', 'evaluation time (default: the clock); the judged hours end before it')
    .option('--hours <N>', 'complete hours to judge, ending before --now', '1')
    .option('--metrics <file>', 'read metric datapoints from a CSV file instead of CloudWatch')
    .option('--cloudwatch', 'read metrics from CloudWatch (ListMetrics + GetMetricData)')
    .option('--region <region...>', 'CloudWatch regions (default: early_warning.regions, else $AWS_REGION)')
    .option('--dry-run', 'decide and render notifications, write them to --out, send and record nothing')
    .option('--send', 'deliver notifications through the configured routes and record the estimates')
    .option(
      '--out <dir>',
      'where --dry-run writes the rendered messages',
      join('out', 'notifications-dry-run'),
    )
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (options: EarlyWarningOptions) => {
      process.exitCode = await runEarlyWarningCommand(options);
    });
}

function hoursOption(value: string): number {
  const hours = Number(value);
  if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 14)
    throw new Error(`--hours must be a whole number of hours from 1 to 336, got "${value}"`);
  return hours;
}

async function metricsSource(options: EarlyWarningOptions, config: Config): Promise<MetricsSource> {
  if (options.metrics && options.cloudwatch)
    throw new Error('give either --metrics FILE or --cloudwatch, not both');
  if (options.metrics) return new MetricsFileSource(resolve(options.metrics));
  if (!options.cloudwatch) throw new Error('a metrics source is required: --metrics FILE or --cloudwatch');
  const regions = options.region?.length
    ? options.region
    : config.early_warning.regions.length > 0
      ? config.early_warning.regions
      : [process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1'];
  const [{ CloudWatchClient }, { CloudWatchMetricsSource }] = await Promise.all([
    import('@aws-sdk/client-cloudwatch'),
    import('../../adapters/cloudwatch/metrics-source.js'),
  ]);
  return new CloudWatchMetricsSource({
    regions,
    defaultAccount: config.early_warning.account_id,
    clientFor: perRegion((region) => new CloudWatchClient({ region })),
  });
}

async function runEarlyWarningCommand(options: EarlyWarningOptions): Promise<number> {
  const hours = hoursOption(options.hours);
  const now = nowOption(options.now);
  const config = await loadConfig(options.config);
  const source = await metricsSource(options, config);
  const root = storeRoot(options.store);
  const { store } = await openExistingStore(root);
  const run = await runEarlyWarning({ now, hours }, { store, config, metrics: source });

  let report: NotifyReport | null = null;
  if (options.send || options.dryRun) {
    const deps = localNotifyDeps(root, config);
    report = await notify(
      { findings: run.findings, alerting: compileAlerting(config), dryRun: !options.send && options.dryRun },
      { ...deps, clock: () => now },
    );
    if (report.dryRun) await writeDryRun(report, options.out);
    else
      await recordEarlyWarningRun(
        new LocalEarlyWarningStore({ path: earlyWarningStorePath(resolve(root)) }),
        {
          estimates: run.estimates,
          findings: run.findings,
          now,
        },
      );
  }

  if (options.format === 'json') {
    const findings = run.findings.map(earlyFindingJson);
    const estimates = run.estimates.map((e) => ({
      hour: e.hour,
      workload: e.workload,
      estimate: formatMoney(e.estimate),
      tokens: e.tokens,
      invocations: e.invocations,
      unpriced_tokens: e.unpricedTokens,
      estimated: true,
    }));
    if (report) printJson({ findings, estimates, notifications: report.entries.map(entryJson) });
    else printJson(findings);
  } else {
    printRun(run);
    if (report) printNotifications(report, options.out);
  }
  return report ? sendExitCode(report.entries.map((e) => e.outcome)) : 0;
}

/** detect's finding JSON plus `estimated: true` and the judged hour. */
export function earlyFindingJson(finding: EarlyFinding) {
  return { ...findingJson(finding), estimated: true as const, hour: finding.hour };
}

function printRun(run: Awaited<ReturnType<typeof runEarlyWarning>>): void {
  const range = `${run.hours[0]} … ${run.hours.at(-1)}`;
  const lines = [
    `Judged ${run.hours.length} hour(s) ${range} from ${run.source} (${run.datapoints.toLocaleString('en-US')} datapoints); prices and attribution from ${run.factsRead.toLocaleString('en-US')} facts (newest CUR day ${run.newestFactDay ?? 'none'}).`,
    'All amounts are estimates: CloudWatch token counts × the effective rate observed in CUR.',
  ];
  if (run.estimates.length > 0) {
    lines.push(
      renderTable(
        ['hour', 'workload', 'estimate', 'tokens', 'invocations', 'tokens/inv'],
        run.estimates.map((e) => [
          e.hour.slice(0, 16).replace('T', ' '),
          e.workload,
          `~${formatUsd(e.estimate)}`,
          e.tokens.toLocaleString('en-US'),
          e.invocations.toLocaleString('en-US'),
          e.invocations > 0 ? Math.round(e.tokens / e.invocations).toLocaleString('en-US') : '',
        ]),
        [2, 3, 4, 5],
      ),
    );
  } else {
    lines.push('No Bedrock metrics in the judged hours.');
  }
  if (run.findings.length === 0) lines.push('', 'No early warnings: spend looks normal.');
  else {
    lines.push(
      '',
      renderTable(
        ['hour', 'severity', 'rule', 'workload', 'model', 'estimate', 'ratio', 'why'],
        run.findings.map((f) => [
          f.hour.slice(0, 16).replace('T', ' '),
          f.severity,
          f.rule,
          f.labels.workload,
          f.labels.model,
          `~${formatUsd(f.figures.today)}`,
          f.figures.ratio === null ? 'new' : `${Number(f.figures.ratio).toFixed(1)}×`,
          f.why[0] ?? '',
        ]),
        [5, 6],
      ),
      '',
      `${run.findings.length} early warning(s), ${run.findings.filter((f) => f.severity === 'page').length} page(s).`,
    );
  }
  if (run.learning > 0)
    lines.push(`${run.learning} workload hour(s) still learning (no metric or CUR history).`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
