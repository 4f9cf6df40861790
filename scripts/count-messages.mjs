// Noise figures (issue 12): messages per receiver for a stored scenario, counted two ways, on any build of
// bedrock-cost (`--dist`, default ./dist), so a build from before conditions can be compared with this one:
//   dry-run: one `detect --dry-run` over the whole range (what the "17 owner messages" counts);
//   replay:  one scheduled run per day (at 06:00 UTC the next morning, the 14 days up to that day) against a
//            scratch notification log, with notifiers that record instead of sending.
// Usage: node scripts/count-messages.mjs --store DIR --config FILE --from YYYY-MM-DD --to YYYY-MM-DD [--dist DIR]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    store: { type: 'string' },
    config: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    dist: { type: 'string', default: 'dist' },
  },
});
for (const key of ['store', 'config', 'from', 'to']) {
  if (!values[key]) throw new Error(`--${key} is required`);
}
const dist = resolve(values.dist);
const load = (path) => import(pathToFileURL(join(dist, path)).href);
const { localFactStore } = await load('adapters/local-fs/fact-store.js');
const { LocalNotificationLog } = await load('adapters/local-fs/notification-log.js');
const { detectAnomalies } = await load('app/detect.js');
const { notify } = await load('app/notify.js');
const { loadConfig } = await load('config/load.js');
const { compileAlerting } = await load('core/alerting/alerting-spec.js');
const conditionsModule = await load('core/alerting/conditions.js').catch(() => null);

const config = await loadConfig(values.config);
const alerting = compileAlerting(config);
const store = localFactStore(resolve(values.store));
const DAY_MS = 86_400_000;
const addDays = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const conditionsOf = (result) =>
  conditionsModule
    ? conditionsModule.conditionOptionsFor({
        rules: config.rules,
        days: result.days,
        newestUsageHour: result.newestUsageHour,
        finalAfterHours: config.completeness.final_after_hours,
      })
    : undefined;
const recorder = { send: async () => ({ status: 'delivered' }) };
const notifiers = { slack: recorder, sns: recorder, console: recorder };
const count = (entries, sentOutcomes) => {
  const out = {};
  for (const e of entries) {
    if (!sentOutcomes.includes(e.outcome)) continue;
    const key = `${e.receiver}/${e.integration}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
};

// 1. One dry run over the whole range, evaluated the morning after its last day.
const now = new Date(`${addDays(values.to, 1)}T06:00:00Z`);
const whole = await detectAnomalies({ from: values.from, to: values.to, now }, { store, config });
const scratch = await mkdtemp(join(tmpdir(), 'count-messages-'));
try {
  const dry = await notify(
    { findings: whole.findings, alerting, conditions: conditionsOf(whole), dryRun: true },
    { log: new LocalNotificationLog({ path: join(scratch, 'dry.json') }), notifiers, clock: () => now },
  );
  // 2. One run a day.
  const log = new LocalNotificationLog({ path: join(scratch, 'replay.json') });
  const replayed = [];
  for (let day = values.from; day <= values.to; day = addDays(day, 1)) {
    const at = new Date(`${addDays(day, 1)}T06:00:00Z`);
    const result = await detectAnomalies({ from: addDays(day, -13), to: day, now: at }, { store, config });
    const report = await notify(
      { findings: result.findings, alerting, conditions: conditionsOf(result) },
      { log, notifiers, clock: () => at },
    );
    replayed.push(...report.entries);
  }
  const receivers = [
    ...new Set([...dry.entries, ...replayed].map((e) => `${e.receiver}/${e.integration}`)),
  ].sort();
  const dryCounts = count(
    dry.entries.filter((e) => e.delivery),
    ['dry-run'],
  );
  const replayCounts = count(replayed, ['delivered', 'unknown']);
  console.log(`build: ${dist}  findings over the range: ${whole.findings.length}`);
  console.log('receiver'.padEnd(20), 'dry-run'.padStart(8), 'replay'.padStart(8));
  for (const r of receivers) {
    console.log(
      r.padEnd(20),
      String(dryCounts[r] ?? 0).padStart(8),
      String(replayCounts[r] ?? 0).padStart(8),
    );
  }
  const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);
  console.log('total'.padEnd(20), String(sum(dryCounts)).padStart(8), String(sum(replayCounts)).padStart(8));
} finally {
  await rm(scratch, { recursive: true, force: true });
}
