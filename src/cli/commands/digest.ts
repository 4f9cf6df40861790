import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import {
  earlyWarningStorePath,
  LocalEarlyWarningStore,
} from '../../adapters/local-fs/early-warning-store.js';
import { interactionStatePaths, LocalFeedbackStore } from '../../adapters/local-fs/interaction-stores.js';
import { fileReportWriter } from '../../adapters/local-fs/report-writer.js';
import { SlackFileUploadPublisher } from '../../adapters/slack/file-upload.js';
import { detectedFindings } from '../../app/findings-source.js';
import {
  type ReportDeliveryDeps,
  type ReportDeliveryEntry,
  resolveReceivers,
} from '../../app/report-delivery.js';
import { sendWeeklyDigest, type WeeklyDigestReport } from '../../app/weekly-digest.js';
import { digestRunOf } from '../../config/digest-schema.js';
import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { compileAlerting } from '../../core/alerting/alerting-spec.js';
import { chargebackTextTable } from '../../core/digest/render-text.js';
import { formatMoney } from '../../core/money.js';
import { isIsoWeek } from '../../core/time/iso-week.js';
import { localNotifyDeps } from '../alerting/notify-wiring.js';
import { nowOption } from '../options.js';
import { EXIT_FAILED, sendExitCode } from '../output/exit-code.js';
import { printJson } from '../output/format-option.js';
import { renderTable } from '../output/table.js';
import { openExistingStore, STORE_HELP, storeRoot } from '../wiring.js';

export const DEFAULT_REPORT_DIR = join('out', 'reports');

/** The options of every scheduled-report command; `section` is its config section, `period` what it covers. */
export function reportCommandOptions(
  command: Command,
  section: string,
  period: string,
  configSections: string,
) {
  return command
    .option('--send', `deliver to ${section}.receivers (once per receiver and ${period})`)
    .option(
      '--out <dir>',
      `where the CSV / HTML / JSON go (default: ${section}.out_dir, ${DEFAULT_REPORT_DIR})`,
    )
    .option('--store <dir|s3://bucket/prefix>', STORE_HELP)
    .option('--config <file>', `YAML config (${configSections}); defaults apply without it`)
    .option('--now <ISO time>', 'run as of this time (default: the clock)')
    .option('--receiver <names>', `comma-separated receivers to send to instead of ${section}.receivers`)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'));
}

/** The options `reportCommandOptions` declares. */
export interface ReportCliOptions {
  send?: boolean;
  out?: string;
  store?: string;
  config?: string;
  now?: string;
  receiver?: string;
  format: 'table' | 'json';
}

/** One line per receiver integration: what happened to the send. */
export function deliveriesTable(deliveries: readonly ReportDeliveryEntry[]): string {
  return renderTable(
    ['receiver', 'via', 'outcome', 'destination', 'detail'],
    deliveries.map((e) => [e.receiver, e.integration, e.outcome, e.destination, e.detail ?? '']),
  );
}

/** What a local scheduled-report run starts from: the time, the config, the stored facts and delivery. */
export async function openReportRun(options: { now?: string; config?: string; store?: string }) {
  const now = nowOption(options.now);
  const config = await loadConfig(options.config);
  const root = storeRoot(options.store);
  const { store } = await openExistingStore(root);
  return { now, config, root, store, deps: localReportDeps(root, config, now) };
}

/**
 * Report delivery for a local run: the notification log beside the facts (same file as alerts), console
 * and SNS senders from the alert wiring, Slack via the file-upload publisher with tokens from the
 * environment variables the receivers name.
 */
export function localReportDeps(
  root: string,
  config: Config,
  now: Date,
  env: NodeJS.ProcessEnv = process.env,
): ReportDeliveryDeps & { notify: ReturnType<typeof localNotifyDeps> } {
  const notify = localNotifyDeps(root, config, env);
  const tokenRefs = config.receivers.flatMap((r) => (r.slack ? [r.slack.token_env] : []));
  return {
    notify,
    log: notify.log,
    clock: () => now,
    console: notify.notifiers.console,
    sns: notify.notifiers.sns,
    slack:
      tokenRefs.length > 0
        ? new SlackFileUploadPublisher({
            tokens: Object.fromEntries(tokenRefs.map((ref) => [ref, env[ref]])),
            ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
          })
        : undefined,
  };
}

interface DigestOptionsCli extends ReportCliOptions {
  week?: string;
}

export function digestCommand(): Command {
  const digest = new Command('digest').description('Scheduled reports for finance and owners.');
  const weekly = digest
    .command('weekly')
    .description(
      'The weekly chargeback digest: cost center → team → workload for one ISO week (UTC, Monday–Sunday),\n' +
        'with last week, change, share, month to date and a month-end forecast; top movers; spend by model\n' +
        'and usage kind; cache hit rate and premium share per workload; the week\u2019s anomalies.\n\n' +
        'Only final days count (completeness.final_after_hours after the day ends, judged by the newest usage\n' +
        'in the stored CUR); a week with non-final days says so. Unallocated spend is its own line or, with\n' +
        'digest.unallocated: split, spread over workloads by their allocated spend. The table total is checked\n' +
        'against Σ Bedrock cost for the week to 1e-6 USD and the check is printed.\n\n' +
        'Always writes CSV, HTML and JSON to --out. With --send, delivers to digest.receivers (Slack summary +\n' +
        'CSV upload, SNS plain-text email, console files) once per receiver and week: a re-run is a no-op, and\n' +
        'a week that is not final yet is deferred unless digest.send_partial_weeks is true.',
    )
    .option('--week <YYYY-Www>', 'ISO week, e.g. 2026-W23 (default: the last week that has ended)');
  reportCommandOptions(weekly, 'digest', 'week', 'digest:, receivers:, rules:').action(
    async (options: DigestOptionsCli) => {
      process.exitCode = await runWeeklyDigest(options);
    },
  );
  return digest;
}

async function runWeeklyDigest(options: DigestOptionsCli): Promise<number> {
  if (options.week !== undefined && !isIsoWeek(options.week)) {
    throw new Error(`--week must be an ISO week like 2026-W23 (weeks 01–52/53), got "${options.week}"`);
  }
  const { now, config, root, store, deps } = await openReportRun(options);
  const digestConfig = config.digest;
  const receivers = resolveReceivers(
    receiverNames(options.receiver, digestConfig.receivers),
    config.receivers,
  );
  const findings = detectedFindings({
    store,
    config,
    alerting: compileAlerting(config),
    log: deps.log,
    silences: deps.notify.silences,
    now,
  });
  const report = await sendWeeklyDigest(
    {
      ...(options.week ? { week: options.week } : {}),
      ...digestRunOf(config),
      receivers,
      send: options.send === true,
    },
    {
      ...deps,
      store,
      writer: fileReportWriter(options.out ?? digestConfig.out_dir),
      findings,
      earlyWarnings: root.startsWith('s3://')
        ? undefined
        : new LocalEarlyWarningStore({ path: earlyWarningStorePath(resolve(root)) }),
      feedback: new LocalFeedbackStore({ path: interactionStatePaths(resolve(root)).feedback }),
    },
  );
  if (options.format === 'json') printJson(weeklyJson(report));
  else printWeekly(report, options.send === true, receivers.length);
  return exitCodeOf(report.reconciliation.ok, report.deliveries);
}

/** `--receiver a,b` overrides the configured list. */
export function receiverNames(option: string | undefined, configured: readonly string[]): string[] {
  if (option === undefined) return [...configured];
  return option
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
}

/** 1 when the table does not reconcile or a send was rejected / the log failed; 75 (retry later) for retryable sends. */
export function exitCodeOf(reconciled: boolean, deliveries: readonly ReportDeliveryEntry[]): number {
  if (!reconciled) return EXIT_FAILED;
  return sendExitCode(deliveries.map((d) => d.outcome));
}

function weeklyJson(report: WeeklyDigestReport) {
  const d = report.digest;
  return {
    week: report.week,
    days: d.window.days,
    final_days: d.window.finalDays,
    complete: report.complete,
    as_of: d.window.asOf,
    headline: report.headline,
    totals: report.totals,
    reconciliation: report.reconciliation,
    chargeback: d.chargeback.map((r) => ({
      cost_center: r.key.costCenter,
      team: r.key.team,
      workload: r.key.workload,
      kind: r.key.kind,
      this_week: formatMoney(r.thisWeek),
      last_week: formatMoney(r.lastWeek),
      change: formatMoney(r.change),
      share: r.share,
      month_to_date: r.monthToDate === null ? null : formatMoney(r.monthToDate),
      forecast_month_end: r.forecastMonthEnd === null ? null : formatMoney(r.forecastMonthEnd),
    })),
    unit_economics: (d.earlyWarning?.unitEconomics ?? []).map((u) => ({
      workload: u.workload,
      cost: formatMoney(u.cost),
      invocations: u.invocations,
      tokens: u.tokens,
      cost_per_invocation: u.costPerInvocation === null ? null : formatMoney(u.costPerInvocation),
      tokens_per_invocation: u.tokensPerInvocation,
    })),
    early_warning_confirmations: d.earlyWarning?.confirmations ?? [],
    files: report.files,
    not_ready_reason: report.notReadyReason,
    deliveries: report.deliveries,
  };
}

function printWeekly(report: WeeklyDigestReport, send: boolean, receiverCount: number): void {
  const d = report.digest;
  const lines: string[] = [report.headline];
  if (!report.complete) {
    lines.push(
      `Not final: ${d.window.finalDays.length} of 7 days counted (data as of ${d.window.asOf ?? 'n/a'}); pending ${d.window.pendingDays.join(', ')}.`,
    );
  }
  lines.push('');
  lines.push(chargebackTextTable(d));
  lines.push('', d.split.note, d.reconciliation.line, '');
  lines.push(`Files: ${report.files.map((f) => f.path).join(', ')}`);
  if (!send) {
    lines.push(
      receiverCount === 0
        ? 'Not sent (--send not given; digest.receivers is empty).'
        : `Not sent (--send not given); ${receiverCount} receiver(s) configured.`,
    );
  } else if (report.deliveries.length === 0) {
    lines.push('Nothing to send: digest.receivers is empty.');
  } else {
    lines.push('', deliveriesTable(report.deliveries));
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
