import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import {
  earlyWarningStorePath,
  LocalEarlyWarningStore,
} from '../../adapters/local-fs/early-warning-store.js';
import { LocalNotificationLog } from '../../adapters/local-fs/notification-log.js';
import { detectAnomalies } from '../../app/detect.js';
import { linkEarlyWarnings } from '../../app/early-warning.js';
import { type NotifyReport, notify } from '../../app/notify.js';
import { type ReplayReport, replayNotifications } from '../../app/replay-notifications.js';
import { loadConfig } from '../../config/load.js';
import { compileAlerting } from '../../core/alerting/alerting-spec.js';
import { conditionOptionsFor } from '../../core/alerting/conditions.js';
import type { LinkResult } from '../../core/early-warning/reconcile.js';
import { formatUsd, type Money } from '../../core/money.js';
import type { Finding } from '../../core/rules/finding.js';
import { checkDayOptions, nowOption } from '../options.js';
import { sendExitCode } from '../output/exit-code.js';
import { findingJson } from '../output/finding-json.js';
import { printJson } from '../output/format-option.js';
import { renderTable } from '../output/table.js';
import { openExistingStore, STORE_HELP, storeRoot } from '../wiring.js';

export const SEND_EXIT_HELP =
  'Exit status with --send: 1 when a send was rejected (a missing token, an unknown channel, a refused TLS\n' +
  'certificate; nothing was sent and nothing recorded) or the notification log failed; 75 when a send should\n' +
  'be retried later; 0 otherwise. A send whose outcome is unknown (the request went out, the answer was lost)\n' +
  'counts as sent and is not repeated. A --store that does not exist is an error.';

interface DetectOptions {
  store?: string;
  from?: string;
  to?: string;
  now?: string;
  config?: string;
  dryRun?: boolean;
  send?: boolean;
  replay?: boolean;
  out: string;
  format: 'table' | 'json';
}

export function detectCommand(): Command {
  return withDetectOptions(
    new Command('detect')
      .summary('run the anomaly rules over the facts; --dry-run renders, --send delivers')
      .description(
        'Run the anomaly rules over the stored facts and print the findings.\n\n' +
          'Days are final once the newest usage hour in the stored snapshots is completeness.final_after_hours\n' +
          '(default 48) past their end; findings on other days are provisional and never page.\n' +
          'Without --send nothing is delivered. --dry-run also routes, groups and renders the messages that\n' +
          'would be sent and writes them to --out, but sends and records nothing. --send delivers through\n' +
          'the routes, at most once per receiver and group (a second run sends nothing new).\n\n' +
          'Alerts are conditions: a rule and its labels without the day. A condition is announced when it\n' +
          'starts, repeated by repeat_interval (default by severity: page 1d, warning 7d, info 30d) or when it\n' +
          "escalates (higher severity, or 2x the amount last sent), and resolved once after its rule's\n" +
          'resolve_after_days final days without it (receivers with send_resolved). --replay --from --to\n' +
          'replays one scheduled run a day against a scratch log and counts the messages per receiver.\n\n' +
          SEND_EXIT_HELP,
      ),
  )
    .option('--dry-run', 'decide and render notifications, write them to --out, send and record nothing')
    .option('--send', 'deliver notifications through the configured routes')
    .option(
      '--replay',
      'replay one scheduled run per day from --from to --to against a scratch notification log and count\n' +
        'the messages each receiver would have got (conditions, repeats and resolves); sends nothing',
    )
    .action(async (options: DetectOptions) => {
      process.exitCode = options.replay ? await runReplay(options) : await runDetect(options);
    });
}

export function notifyCommand(): Command {
  return withDetectOptions(
    new Command('notify')
      .summary('detect anomalies and deliver them through the routes (detect --send)')
      .description(
        'Detect anomalies and deliver them through the routes (the same as `detect --send`): Slack, SNS or\n' +
          'console/file receivers, each group at most once per receiver (claim → send → commit).\n\n' +
          SEND_EXIT_HELP,
      ),
  ).action(async (options: DetectOptions) => {
    process.exitCode = await runDetect({ ...options, send: true });
  });
}

function withDetectOptions(command: Command): Command {
  return command
    .option('--store <dir|s3://bucket/prefix>', STORE_HELP)
    .option('--from <YYYY-MM-DD>', 'first day to evaluate (default: 13 days before --to)')
    .option(
      '--to <YYYY-MM-DD>',
      'last day to evaluate (default: the newest usage day in the store; never after --now)',
    )
    .option(
      '--now <ISO time>',
      'evaluation time (default: the clock); findings never see the future: no day after it is evaluated',
    )
    .option('--config <file>', 'YAML config with rules, routes and receivers; defaults apply without it')
    .option(
      '--out <dir>',
      'where --dry-run writes the rendered messages',
      join('out', 'notifications-dry-run'),
    )
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'));
}

async function runReplay(options: DetectOptions): Promise<number> {
  if (!options.from || !options.to) throw new Error('--replay needs --from and --to (the days to replay)');
  if (options.send || options.dryRun) throw new Error('--replay sends nothing: drop --send / --dry-run');
  checkDayOptions({ '--from': options.from, '--to': options.to });
  const config = await loadConfig(options.config);
  const { store } = await openExistingStore(storeRoot(options.store));
  const scratch = await mkdtemp(join(tmpdir(), 'bedrock-cost-replay-'));
  try {
    const log = new LocalNotificationLog({ path: join(scratch, 'notification-log.json') });
    const report = await replayNotifications({ from: options.from, to: options.to, config }, { store, log });
    if (options.format === 'json') printJson(report);
    else printReplay(report);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return 0;
}

function printReplay(report: ReplayReport): void {
  const reasons = ['first', 'new-in-group', 'escalated', 'repeat-elapsed', 'resolved'] as const;
  const rows = Object.entries(report.byReceiver)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([receiver, c]) => [receiver, String(c.total), ...reasons.map((r) => String(c.byReason[r] ?? 0))]);
  const total = Object.values(report.byReceiver).reduce((n, c) => n + c.total, 0);
  process.stdout.write(
    `Replayed ${report.runs} daily run(s), ${report.from} … ${report.to}: ${total} message(s).\n` +
      `${renderTable(['receiver', 'messages', ...reasons], rows, [1, 2, 3, 4, 5, 6])}\n`,
  );
}

async function runDetect(options: DetectOptions): Promise<number> {
  checkDayOptions({ '--from': options.from, '--to': options.to });
  const now = nowOption(options.now);
  const config = await loadConfig(options.config);
  const root = storeRoot(options.store);
  const { store } = await openExistingStore(root);
  // Only the number of learning series is shown, so their labels (a fact read per series-day) are not asked for.
  const result = await detectAnomalies(
    { from: options.from, to: options.to, now, learningLabels: false },
    { store, config },
  );

  let report: NotifyReport | null = null;
  let linked: LinkResult | null = null;
  if (options.send || options.dryRun) {
    const alerting = compileAlerting(config);
    // Loaded only to send: the Slack and SNS clients behind it are most of the command's start-up otherwise.
    const { localNotifyDeps } = await import('../alerting/notify-wiring.js');
    const deps = localNotifyDeps(root, config);
    // Issue 14: CUR findings an early warning already paged about are linked to it, not routed again.
    linked = await linkEarlyWarnings(result.findings, {
      earlyWarnings: new LocalEarlyWarningStore({ path: earlyWarningStorePath(resolve(root)) }),
      facts: store,
      record: Boolean(options.send),
    });
    const conditions = conditionOptionsFor({
      rules: config.rules,
      days: result.days,
      newestUsageHour: result.newestUsageHour,
      finalAfterHours: config.completeness.final_after_hours,
    });
    report = await notify(
      { findings: linked.route, alerting, conditions, dryRun: !options.send && options.dryRun },
      { ...deps, clock: () => now },
    );
    if (report.dryRun) await writeDryRun(report, options.out);
  }

  if (options.format === 'json') {
    if (report) {
      printJson({
        findings: result.findings.map(findingJson),
        notifications: report.entries.map(entryJson),
        truncated: result.truncated,
        ...(linked && linked.confirmations.length > 0
          ? { early_warning_confirmations: linked.confirmations }
          : {}),
      });
    } else {
      printJson(result.findings.map(findingJson));
    }
  } else {
    printFindings(result.findings, result);
    for (const c of linked?.confirmations ?? [])
      process.stdout.write(
        `Confirmed by CUR, not paged again: ${c.workload} on ${c.day} (early page from ${c.earlyHour.slice(11, 16)} UTC); estimate ÷ CUR = ${c.ratio === null ? 'n/a' : c.ratio.toFixed(3)} (${c.estimate} ÷ ${c.cur} USD over ${c.hoursEstimated} h).\n`,
      );
    if (report) printNotifications(report, options.out);
  }
  return report ? sendExitCode(report.entries.map((e) => e.outcome)) : 0;
}

function printFindings(
  findings: readonly Finding[],
  result: Awaited<ReturnType<typeof detectAnomalies>>,
): void {
  const range = result.days.length ? `${result.days[0]} … ${result.days.at(-1)}` : 'no days';
  const watermark = result.newestUsageHour ? result.newestUsageHour.toISOString() : 'unknown';
  const lines = [
    `Evaluated ${range} over ${result.factsRead.toLocaleString('en-US')} facts; newest usage hour ${watermark}.`,
  ];
  if (result.days.length === 0) {
    lines.push('Nothing evaluated: the store holds no Bedrock facts up to --now.');
  } else if (findings.length === 0) {
    lines.push('No findings: spend looks normal.');
  } else {
    const rows = findings.map((f) => [
      f.day,
      f.severity + (f.provisional ? ' (provisional)' : ''),
      f.rule,
      f.labels.workload,
      f.labels.model,
      formatUsd(f.figures.today as Money),
      f.figures.ratio === null ? 'new' : `${Number(f.figures.ratio).toFixed(1)}×`,
      f.why[0] ?? '',
    ]);
    lines.push(
      renderTable(['day', 'severity', 'rule', 'workload', 'model', 'today', 'ratio', 'why'], rows, [5, 6]),
    );
    const pages = findings.filter((f) => f.severity === 'page').length;
    lines.push(
      '',
      `${findings.length} finding(s), ${pages} page(s)${result.truncated ? `, truncated by max_findings (of ${result.total})` : ''}.`,
    );
  }
  if (result.learning.length > 0)
    lines.push(`${result.learning.length} series still learning (not enough history).`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function printNotifications(report: NotifyReport, out: string): void {
  if (report.entries.length === 0) {
    process.stdout.write('\nNo notifications to send.\n');
    return;
  }
  const rows = report.entries.map((e) => [
    e.receiver,
    e.integration,
    e.outcome,
    e.reason ?? '',
    String(e.firingFingerprints.length),
    e.destination ?? '',
    e.error ?? '',
  ]);
  process.stdout.write(`\n${report.dryRun ? `Dry run (rendered messages in ${out}):` : 'Notifications:'}\n`);
  process.stdout.write(
    `${renderTable(['receiver', 'via', 'outcome', 'reason', 'findings', 'destination', 'error'], rows, [4])}\n`,
  );
}

export function entryJson(entry: NotifyReport['entries'][number]) {
  return {
    receiver: entry.receiver,
    integration: entry.integration,
    group_key: entry.groupKey,
    reason: entry.reason,
    outcome: entry.outcome,
    findings: entry.firingFingerprints,
    destination: entry.destination ?? null,
    error: entry.error ?? null,
  };
}

export async function writeDryRun(report: NotifyReport, out: string): Promise<void> {
  await mkdir(out, { recursive: true });
  for (const [index, entry] of report.entries.entries()) {
    if (!entry.delivery) continue;
    const name = `${String(index + 1).padStart(3, '0')}-${entry.receiver}-${entry.integration}.json`.replace(
      /[^A-Za-z0-9._-]/g,
      '_',
    );
    await writeFile(
      join(out, name),
      `${JSON.stringify({ receiver: entry.receiver, group_key: entry.groupKey, reason: entry.reason, message: entry.delivery }, null, 2)}\n`,
    );
  }
}
