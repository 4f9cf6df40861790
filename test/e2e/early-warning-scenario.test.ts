import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from '../helpers/cli.js';
import {
  consoleSends,
  PROFILE_AGENT,
  SPIKE_DAY,
  scenarioConfigYaml,
  scenarioCurLines,
  scenarioDays,
  scenarioMetricsCsv,
  writeText,
} from '../helpers/early-warning-scenario.js';
import { dataFilePath, writeCur2Manifest, writeTinyCur2 } from '../helpers/tiny-cur.js';

interface JsonFinding {
  rule: string;
  day: string;
  hour?: string;
  severity: string;
  estimated?: boolean;
  labels: Record<string, string>;
  figures: Record<string, unknown>;
  why: string[];
}
interface JsonRun {
  findings: JsonFinding[];
  notifications: { receiver: string; outcome: string; reason: string | null }[];
  early_warning_confirmations?: {
    workload: string;
    day: string;
    estimate: string;
    cur: string;
    ratio: number;
    hoursEstimated: number;
    earlyHour: string;
  }[];
}

/**
 * Issue 14's scenario through the CLI with a metrics file: the research agent's tokens jump 20× at 14:00; the
 * 15:05 run (judging the 14:00–15:00 hour) pages on-call for its workload; the support bot stays quiet; the next
 * day's CUR delivery for that day is linked to the early page and pages no one again.
 */
describe('early warning scenario (CLI, --metrics file)', () => {
  let dir: string;
  let store: string;
  let exportRoot: string;
  let config: string;
  let metrics: string;
  let out: string;

  async function deliver(days: readonly string[], file: string) {
    await writeTinyCur2(dataFilePath(exportRoot, '2026-06', file), scenarioCurLines(days));
    await writeCur2Manifest(exportRoot, 'exp', '2026-06', [file]);
    const ingest = runCli(['ingest', exportRoot, '--store', store]);
    expect(ingest.status, ingest.stderr).toBe(0);
  }

  /** `detect` of the spike day, the morning after, as JSON. */
  const detectSpikeDay = (storeDir: string, extra: string[]) =>
    runCli([
      'detect',
      ...['--store', storeDir, '--config', config, '--now', `${addDay(SPIKE_DAY)}T06:00:00Z`],
      ...['--from', SPIKE_DAY, '--to', SPIKE_DAY, '--format', 'json', ...extra],
    ]);

  const early = (now: string, extra: string[] = []) =>
    runCli([
      'early-warning',
      '--metrics',
      metrics,
      '--store',
      store,
      '--config',
      config,
      '--now',
      now,
      '--format',
      'json',
      ...extra,
    ]);

  beforeAll(async () => {
    ensureBuilt();
    dir = await mkdtemp(join(tmpdir(), 'bc-early-warning-'));
    store = join(dir, 'store');
    exportRoot = join(dir, 'cur', 'exp');
    config = join(dir, 'config.yaml');
    metrics = join(dir, 'metrics.csv');
    out = join(dir, 'notifications');
    await writeText(config, scenarioConfigYaml(out));
    // CUR up to the day before the spike day (what the store holds on the spike day).
    await deliver(scenarioDays().slice(0, -1), 'exp-00001.snappy.parquet');
  }, 120_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('stays quiet at 14:05 (the 13:00 hour is normal), pages at 15:05 from the 14:00 hour, and not the neighbour', async () => {
    await writeText(metrics, scenarioMetricsCsv(`${SPIKE_DAY}T15:00:00Z`));

    const before = early(`${SPIKE_DAY}T14:05:00Z`, ['--send']);
    expect(before.status, before.stderr).toBe(0);
    expect((JSON.parse(before.stdout) as JsonRun).findings).toEqual([]);

    const run = early(`${SPIKE_DAY}T15:05:00Z`, ['--send']);
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as JsonRun;
    const page = result.findings.find((f) => f.rule === 'early-spend-rate');
    expect(page).toMatchObject({
      day: SPIKE_DAY,
      hour: `${SPIKE_DAY}T14:00:00.000Z`,
      severity: 'page',
      estimated: true,
      labels: { workload: 'research-agent', team: 'research', cost_center: 'cc-200', model: '*' },
    });
    // 20M input × $3/1M + 2M output × $15/1M; the 10M cache-read tokens have no CUR rate yet.
    expect(page!.figures.today).toBe('90');
    expect(page!.figures.baseline).toBe('4.5');
    expect(page!.figures.ratio).toBe(20);
    expect(String(page!.figures.rate)).toContain('observed in CUR on 2026-06-09');
    expect(page!.why.join(' ')).toContain('10,000,000 tokens had no CUR rate');
    const tpi = result.findings.find((f) => f.rule === 'early-tokens-per-invocation');
    expect(tpi).toMatchObject({
      severity: 'warning',
      labels: { workload: 'research-agent', model_id: PROFILE_AGENT },
    });
    expect(result.findings.every((f) => f.labels.workload === 'research-agent')).toBe(true);
    expect(result.notifications.filter((n) => n.receiver === 'oncall').map((n) => n.outcome)).toEqual([
      'delivered',
    ]);
    expect(await consoleSends(join(out, 'oncall'))).toHaveLength(1);
  });

  it('the rest of the day re-judged at midnight sends nothing new', async () => {
    await writeText(metrics, scenarioMetricsCsv(`${addDay(SPIKE_DAY)}T00:00:00Z`));
    const run = early(`${addDay(SPIKE_DAY)}T00:05:00Z`, ['--send', '--hours', '24']);
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as JsonRun;
    expect(result.findings.some((f) => f.rule === 'early-spend-rate' && f.severity === 'page')).toBe(true);
    expect(result.notifications.filter((n) => n.outcome === 'delivered')).toEqual([]);
    expect(await consoleSends(join(out, 'oncall'))).toHaveLength(1);
  });

  it('the next day’s CUR for the spike day is linked to the early page: no second page; estimate ÷ CUR recorded', async () => {
    await deliver(scenarioDays(), 'exp-00002.snappy.parquet');
    // Control: the same store without the early warning's state would page on-call for the CUR spike.
    const control = join(dir, 'control-store');
    await cp(store, control, { recursive: true });
    await rm(join(control, 'state', 'early-warning.json'));
    const unlinked = detectSpikeDay(control, ['--dry-run', '--out', join(dir, 'dry')]);
    expect(unlinked.status, unlinked.stderr).toBe(0);
    const controlRun = JSON.parse(unlinked.stdout) as JsonRun;
    expect(
      controlRun.findings.some(
        (f) => f.rule === 'spend-spike' && f.severity === 'page' && f.labels.workload === 'research-agent',
      ),
    ).toBe(true);
    expect(controlRun.notifications.filter((n) => n.receiver === 'oncall').map((n) => n.outcome)).toEqual([
      'dry-run',
    ]);

    const detect = detectSpikeDay(store, ['--send']);
    expect(detect.status, detect.stderr).toBe(0);
    const result = JSON.parse(detect.stdout) as JsonRun;
    expect(
      result.findings.some((f) => f.rule === 'spend-spike' && f.labels.workload === 'research-agent'),
    ).toBe(true);
    expect(result.notifications.filter((n) => n.receiver === 'oncall')).toEqual([]);
    expect(await consoleSends(join(out, 'oncall'))).toHaveLength(1);
    // 14 normal hours at $4.50 + 10 runaway hours at $90 (cache reads unpriced) vs CUR's $993 with them.
    expect(result.early_warning_confirmations).toEqual([
      expect.objectContaining({
        workload: 'research-agent',
        day: SPIKE_DAY,
        earlyHour: `${SPIKE_DAY}T14:00:00.000Z`,
        estimate: '963',
        cur: '993',
        hoursEstimated: 24,
      }),
    ]);
    expect(result.early_warning_confirmations![0]!.ratio).toBeCloseTo(963 / 993, 10);
  });

  it('the weekly digest shows unit economics where metrics exist and the estimate ÷ CUR', async () => {
    const args = [
      'digest',
      'weekly',
      '--week',
      '2026-W24',
      '--store',
      store,
      '--config',
      config,
      '--now',
      `${addDay(SPIKE_DAY)}T06:00:00Z`,
      '--out',
      join(dir, 'digest'),
    ];
    const json = runCli([...args, '--format', 'json']);
    expect(json.status, json.stderr).toBe(0);
    const digest = JSON.parse(json.stdout) as {
      unit_economics: {
        workload: string;
        cost: string;
        invocations: number;
        cost_per_invocation: string;
        tokens_per_invocation: number;
      }[];
      early_warning_confirmations: { workload: string; estimate: string; cur: string }[];
    };
    // Metrics were recorded for the spike day's 24 hours (the final days of the week up to then).
    const agent = digest.unit_economics.find((u) => u.workload === 'research-agent')!;
    expect(agent).toMatchObject({ cost: '993', invocations: 4800, cost_per_invocation: '0.206875' });
    // 14 h × 1.1M + 10 h × 32M tokens over 4,800 invocations.
    expect(agent.tokens_per_invocation).toBeCloseTo((14 * 1_100_000 + 10 * 32_000_000) / 4800, 6);
    const support = digest.unit_economics.find((u) => u.workload === 'support-bot')!;
    expect(support).toMatchObject({ cost: '46.8', invocations: 2400, cost_per_invocation: '0.0195' });
    expect(digest.early_warning_confirmations).toEqual([
      expect.objectContaining({ workload: 'research-agent', estimate: '963', cur: '993' }),
    ]);
  });
});

function addDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
