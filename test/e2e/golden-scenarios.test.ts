// Golden outputs of every committed scenario: the findings (and learning series) of `detect`, the weekly
// digest CSV / JSON and the quarterly review CSV / JSON, byte for byte. They were recorded on the code that
// judged every fact, before detection, digest and review moved onto series built in SQL; the test holds the
// answers identical across that change and any later one. Re-record deliberately with UPDATE_GOLDEN=1 and
// review the diff.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFactStore } from '../../src/adapters/local-fs/fact-store.js';
import { detectAnomalies } from '../../src/app/detect.js';
import { loadConfig } from '../../src/config/load.js';
import { generateCur } from '../../src/fixtures/generate.js';
import { ensureBuilt, ROOT, runCli } from '../helpers/cli.js';

const GOLDEN = join(ROOT, 'test/golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const NOW = '2026-07-05T00:00:00Z';
const DEMO_CONFIG = join(ROOT, 'fixtures/config/demo.yaml');

interface Scenario {
  name: string;
  /** Fills `store` (a fresh directory) with facts. */
  ingest(work: string, store: string): Promise<void>;
  config?: string;
  from: string;
  to: string;
  weeks: string[];
  quarters: string[];
}

function ingestPath(path: string, store: string, config?: string): void {
  const args = ['ingest', path, '--store', store, '--format', 'json'];
  if (config) args.push('--config', config);
  const run = runCli(args);
  expect(run.status, run.stderr).toBe(0);
}

function committed(name: string, from: string, to: string, weeks: string[], quarters: string[]): Scenario {
  return {
    name: `committed-${name}`,
    async ingest(_work, store) {
      ingestPath(join(ROOT, 'fixtures/cur', name), store);
    },
    from,
    to,
    weeks,
    quarters,
  };
}

function generated(
  name: string,
  options: { scenario: 'anomalies' | 'baseline'; start: string; days: number; config?: string },
  range: { from: string; to: string; weeks: string[]; quarters: string[] },
): Scenario {
  return {
    name,
    async ingest(work, store) {
      const result = await generateCur({
        outDir: join(work, 'cur'),
        format: 'cur2',
        scenario: options.scenario,
        days: options.days,
        start: options.start,
        accounts: 5,
        seed: 42,
      });
      ingestPath(result.root, store, options.config);
    },
    ...(options.config ? { config: options.config } : {}),
    ...range,
  };
}

/** Weeks of the demo: its first (partial), one per month, the last full one and the one after it (partial). */
const DEMO_WEEKS = ['2026-W14', '2026-W15', '2026-W18', '2026-W22', '2026-W26', '2026-W27'];

const SCENARIOS: Scenario[] = [
  committed('cur2-daily', '2026-04-06', '2026-04-09', ['2026-W15'], ['2026-Q2']),
  committed('cur2-hourly', '2026-06-02', '2026-06-02', ['2026-W23'], ['2026-Q2']),
  committed('cur2-empty-chunk', '2026-06-08', '2026-06-08', ['2026-W24'], ['2026-Q2']),
  committed('legacy-parquet', '2026-01-14', '2026-01-15', ['2026-W03'], ['2026-Q1']),
  committed('legacy-csv', '2026-01-14', '2026-01-15', ['2026-W03'], ['2026-Q1']),
  committed('legacy-csv-gz', '2026-01-14', '2026-01-15', ['2026-W03'], ['2026-Q1']),
  // `make demo`: 91 days of CUR 2.0 with every injected anomaly, under the demo config.
  generated(
    'demo-anomalies',
    { scenario: 'anomalies', start: '2026-04-01', days: 91, config: DEMO_CONFIG },
    { from: '2026-04-01', to: '2026-06-30', weeks: DEMO_WEEKS, quarters: ['2026-Q2'] },
  ),
  // test/e2e/scenario-detection.test.ts's two scenarios, under the default config.
  generated(
    'anomalies-60d',
    { scenario: 'anomalies', start: '2026-05-01', days: 60 },
    {
      from: '2026-05-01',
      to: '2026-06-29',
      weeks: ['2026-W19', '2026-W22', '2026-W26'],
      quarters: ['2026-Q2'],
    },
  ),
  generated(
    'baseline-60d',
    { scenario: 'baseline', start: '2026-05-01', days: 60 },
    { from: '2026-05-01', to: '2026-06-29', weeks: ['2026-W20', '2026-W26'], quarters: ['2026-Q2'] },
  ),
];

/**
 * Output with what identifies the ingest rather than the answer replaced: a snapshot id hashes the delivery's
 * object key and version, and a local file's version is its size and mtime, which differ per checkout.
 */
function normalise(text: string): string {
  return text.replace(/"snapshotId": "[0-9a-f]+"/g, '"snapshotId": "<snapshot>"');
}

/** Every output of one scenario, by file name. */
async function produce(scenario: Scenario, work: string): Promise<Map<string, string>> {
  const store = join(work, 'store');
  await scenario.ingest(work, store);
  const configArgs = scenario.config ? ['--config', scenario.config] : [];
  const out = new Map<string, string>();

  const detect = runCli([
    'detect',
    '--store',
    store,
    ...configArgs,
    '--from',
    scenario.from,
    '--to',
    scenario.to,
    '--now',
    NOW,
    '--format',
    'json',
  ]);
  expect(detect.status, detect.stderr).toBe(0);
  out.set('findings.json', detect.stdout);

  // Learning series are not part of the CLI's JSON; read them through the use case itself.
  const detected = await detectAnomalies(
    { from: scenario.from, to: scenario.to, now: new Date(NOW) },
    { store: localFactStore(store), config: await loadConfig(scenario.config) },
  );
  out.set('learning.json', `${JSON.stringify(detected.learning, null, 2)}\n`);

  const reports = join(work, 'reports');
  const commands = [
    ...scenario.weeks.map((week) => ['digest', 'weekly', '--week', week]),
    ...scenario.quarters.map((quarter) => ['review', 'provisioned', '--quarter', quarter]),
  ];
  for (const command of commands) {
    const run = runCli([
      ...command,
      '--store',
      store,
      ...configArgs,
      '--now',
      NOW,
      '--out',
      reports,
      '--format',
      'json',
    ]);
    expect(run.status, run.stderr).toBe(0);
  }
  for (const file of (await readdir(reports)).sort()) {
    if (file.endsWith('.csv') || file.endsWith('.json')) {
      out.set(file, await readFile(join(reports, file), 'utf8'));
    }
  }
  return out;
}

describe('golden outputs of every committed scenario', () => {
  let work: string;
  beforeAll(async () => {
    ensureBuilt();
    work = await mkdtemp(join(tmpdir(), 'bc-golden-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it.each(SCENARIOS.map((s) => [s.name, s] as const))(
    '%s: findings, learning, digest and review are unchanged',
    async (_name, scenario) => {
      const outputs = await produce(scenario, join(work, scenario.name));
      const dir = join(GOLDEN, scenario.name);
      if (UPDATE) {
        await rm(dir, { recursive: true, force: true });
        await mkdir(dir, { recursive: true });
        for (const [file, text] of outputs) await writeFile(join(dir, file), text);
      }
      const recorded = (await readdir(dir)).sort();
      expect([...outputs.keys()].sort()).toEqual(recorded);
      const differing: string[] = [];
      for (const file of recorded) {
        const golden = normalise(await readFile(join(dir, file), 'utf8'));
        if (normalise(outputs.get(file) ?? '') !== golden) differing.push(file);
      }
      expect(differing, `${scenario.name}: outputs that changed`).toEqual([]);
    },
    1_800_000,
  );
});
