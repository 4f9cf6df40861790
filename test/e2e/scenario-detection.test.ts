import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCur } from '../../src/fixtures/generate.js';
import { ensureBuilt, runCli } from '../helpers/cli.js';

interface Injected {
  kind: string;
  day: string;
  endDay?: string;
  workload: string;
}

interface FindingJson {
  rule: string;
  day: string;
  severity: string;
  provisional: boolean;
  labels: { workload: string; model: string };
  figures: Record<string, unknown>;
}

/** The rule an injected anomaly kind must be reported by (new spend is a kind of spend-spike finding). */
const RULE_OF: Record<string, string> = { 'new-spend': 'spend-spike' };

const START = '2026-05-01';
const DAYS = 60;
const NOW = '2026-07-05T00:00:00Z';

async function scenario(name: 'anomalies' | 'baseline') {
  const dir = await mkdtemp(join(tmpdir(), `bc-scenario-${name}-`));
  const result = await generateCur({
    outDir: join(dir, 'cur'),
    scenario: name,
    days: DAYS,
    start: START,
    accounts: 5,
    seed: 42,
  });
  const store = join(dir, 'store');
  const ingest = runCli(['ingest', result.root, '--store', store, '--format', 'json']);
  expect(ingest.status, ingest.stderr).toBe(0);
  const expected = JSON.parse(await readFile(join(result.root, 'expected.json'), 'utf8')) as {
    anomalies: Injected[];
  };
  const detect = runCli([
    'detect',
    '--store',
    store,
    '--from',
    START,
    '--to',
    '2026-06-29',
    '--now',
    NOW,
    '--format',
    'json',
  ]);
  expect(detect.status, detect.stderr).toBe(0);
  return { dir, store, injected: expected.anomalies, findings: JSON.parse(detect.stdout) as FindingJson[] };
}

describe('detection on generated 60-day multi-account CURs', () => {
  beforeAll(() => ensureBuilt());

  it('finds every injected anomaly on its day and workload, and pages nowhere else', async () => {
    const { injected, findings } = await scenario('anomalies');
    expect(injected.length).toBeGreaterThanOrEqual(8);
    for (const anomaly of injected) {
      const rule = RULE_OF[anomaly.kind] ?? anomaly.kind;
      const found = findings.find(
        (f) =>
          f.rule === rule &&
          f.labels.workload === anomaly.workload &&
          (anomaly.endDay ? f.day >= anomaly.day && f.day <= anomaly.endDay : f.day === anomaly.day),
      );
      expect(found, `${anomaly.kind} on ${anomaly.day} for ${anomaly.workload}`).toBeDefined();
      if (anomaly.kind === 'new-spend') expect(found!.figures.kind).toBe('new-spend');
    }
    const injectedAt = new Set(injected.map((a) => `${a.day}|${a.workload}`));
    const strayPages = findings.filter(
      (f) => f.severity === 'page' && !injectedAt.has(`${f.day}|${f.labels.workload}`),
    );
    expect(strayPages).toEqual([]);
  }, 180_000);

  it('pages nothing on the baseline scenario', async () => {
    const { findings } = await scenario('baseline');
    expect(findings.filter((f) => f.severity === 'page')).toEqual([]);
  }, 180_000);

  it('sends each notification once: a second notify run sends nothing', async () => {
    const { dir, store } = await scenario('anomalies');
    const out = join(dir, 'notifications');
    const config = join(dir, 'files-only.yaml');
    await writeFile(
      config,
      `receivers:\n  - name: files\n    console: { dir: ${JSON.stringify(out)} }\nroutes:\n  receiver: files\n`,
    );
    const args = [
      'notify',
      '--store',
      store,
      '--config',
      config,
      '--from',
      START,
      '--to',
      '2026-06-29',
      '--now',
      NOW,
      '--format',
      'json',
    ];
    const first = JSON.parse(runCli(args).stdout) as { notifications: { outcome: string }[] };
    const sent = first.notifications.filter((n) => n.outcome === 'delivered').length;
    expect(sent).toBeGreaterThan(0);
    const second = JSON.parse(runCli(args).stdout) as { notifications: { outcome: string }[] };
    expect(second.notifications.filter((n) => n.outcome === 'delivered')).toEqual([]);
    const lines = (await readFile(join(out, 'sent.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(sent);
  }, 180_000);
});
