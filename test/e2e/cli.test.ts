import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT, runCli } from '../helpers/cli.js';
import { dataFilePath, type TinyLine, writeCur2Manifest, writeTinyCur2 } from '../helpers/tiny-cur.js';

const LINES: TinyLine[] = [
  {
    day: '2026-06-03',
    usageType: 'USE1-NovaLite-input-tokens',
    unit: '1K tokens',
    amount: '12500',
    cost: '0.75',
    tags: { workload: 'support-bot', costcenter: 'cc-1' },
  },
  {
    day: '2026-06-03',
    usageType: 'USE1-NovaLite-output-tokens',
    unit: '1K tokens',
    amount: '900',
    cost: '0.216',
    tags: { workload: 'support-bot', costcenter: 'cc-1' },
  },
  {
    day: '2026-06-04',
    usageType: 'USE1-Zeta9Ultra-input-tokens',
    unit: '1K tokens',
    amount: '10',
    cost: '15',
  },
];

describe('bedrock-cost CLI', () => {
  let dir: string;
  let exportRoot: string;
  let store: string;

  beforeAll(async () => {
    ensureBuilt();
    dir = await mkdtemp(join(tmpdir(), 'bc-cli-'));
    exportRoot = join(dir, 'cur', 'exp');
    store = join(dir, 'store');
    await writeTinyCur2(dataFilePath(exportRoot, '2026-06', 'exp-00001.snappy.parquet'), LINES);
    await writeCur2Manifest(exportRoot, 'exp', '2026-06', ['exp-00001.snappy.parquet']);
  });

  it('explains itself with --help', () => {
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    for (const command of ['ingest', 'facts', 'detect', 'notify', 'silence', 'routes', 'config'])
      expect(help.stdout).toContain(command);
    expect(runCli(['ingest', '--help']).stdout).toContain('export root as AWS lays it out');
  });

  it('ingests an export root, reports the reconciled total, then reports it unchanged', () => {
    const first = runCli(['ingest', exportRoot, '--store', store, '--format', 'json']);
    expect(first.status).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.deliveries[0]).toMatchObject({
      export: 'exp',
      status: 'ingested',
      rows_read: 3,
      bedrock_line_items: 3,
      cost_unblended: '15.966',
    });
    expect(report.deliveries[0].periods[0]).toMatchObject({
      billing_period: '2026-06',
      input_cost: '15.966',
      fact_cost: '15.966',
      difference: '0',
      reconciled: true,
    });
    expect(report.deliveries[0].warnings.join('\n')).toContain('unknown model "Zeta9Ultra"');
    expect(report.deliveries[0].model_coverage).toEqual({
      known: { models: 1, cost_unblended: '0.966', line_items: 2 },
      unknown: { models: 1, cost_unblended: '15', line_items: 1, model_ids: ['unknown:Zeta9Ultra'] },
      no_model: { models: 0, cost_unblended: '0', line_items: 0 },
    });
    const second = runCli(['ingest', exportRoot, '--store', store]);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('0 delivery(ies) ingested, 1 unchanged, 0 held, 0 failed');
  });

  it('prints facts as CSV with the DESIGN §5 columns and exact decimals', () => {
    const csv = runCli(['facts', '--store', store, '--format', 'csv']);
    expect(csv.status).toBe(0);
    const [header, ...rows] = csv.stdout.trim().split('\n');
    expect(header!.split(',')).toEqual(
      expect.arrayContaining([
        'usage_date',
        'billing_path',
        'model',
        'usage_kind',
        'workload',
        'cost_unblended',
        'tokens',
        'snapshot_id',
      ]),
    );
    expect(rows).toHaveLength(3);
    expect(csv.stdout).toContain('unknown:Zeta9Ultra');
  });

  it('shows unknown: models plainly in facts --by model, with their dollars', () => {
    const table = runCli(['facts', '--store', store, '--by', 'model']);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/unknown:Zeta9Ultra\s+\$15\.00/);
    expect(table.stdout).toContain('1 unknown model(s), $15.00: unknown:Zeta9Ultra');
  });

  it('sums facts by the requested columns as JSON', () => {
    const json = runCli(['facts', '--store', store, '--by', 'workload,cost_center', '--format', 'json']);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        workload: '__unallocated__',
        cost_center: '__unallocated__',
        cost_unblended: '15',
        cost_net: '15',
        tokens: 10_000,
        line_items: 1,
        facts: 1,
      },
      {
        workload: 'support-bot',
        cost_center: 'cc-1',
        cost_unblended: '0.966',
        cost_net: '0.966',
        tokens: 13_400_000,
        line_items: 2,
        facts: 2,
      },
    ]);
  });

  it('rejects an unknown --by column with the allowed list', () => {
    const result = runCli(['facts', '--store', store, '--by', 'wrkload']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('cannot group by "wrkload"; columns: usage_date');
  });

  it('exits non-zero and names the file for bad input, keeping stored facts', async () => {
    const bad = join(dir, 'not-a-cur.parquet');
    await writeFile(bad, 'hello,world\n1,2\n');
    const result = runCli(['ingest', bad, '--store', store]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${bad}: not a Parquet file (no "PAR1" magic bytes)`);
    expect(runCli(['facts', '--store', store, '--format', 'csv']).stdout.trim().split('\n')).toHaveLength(4);
  });

  it('names an empty (zero-byte) data file given alone as skipped, not an error', async () => {
    const empty = join(dir, 'empty-00001.snappy.parquet');
    await writeFile(empty, '');
    const result = runCli(['ingest', empty, '--store', join(dir, 'store-empty'), '--format', 'json']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).deliveries[0].empty_files).toEqual([empty]);
  });

  it('exits non-zero for a path that does not exist', () => {
    const result = runCli(['ingest', join(dir, 'nope'), '--store', store]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${join(dir, 'nope')}: no such file or directory`);
  });

  it('fails on an unreadable config, naming it', () => {
    const result = runCli(['ingest', exportRoot, '--store', store, '--config', join(dir, 'missing.yaml')]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`${join(dir, 'missing.yaml')}: cannot read config file (ENOENT)`);
  });

  it('validates the example config and every config the README shows', () => {
    const result = runCli(['config', 'validate', join(ROOT, 'fixtures/config/example.yaml')]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('valid');
  });

  it('rejects a config typo with the path and the allowed keys, exit 2', async () => {
    const file = join(dir, 'typo.yaml');
    await writeFile(file, 'attribution:\n  tag_key: {}\n');
    const result = runCli(['config', 'validate', file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('attribution.tag_key: unknown key; allowed keys: tag_keys, precedence');
  });

  it('detect --format json prints findings with the documented fields', () => {
    const result = runCli([
      'detect',
      '--store',
      store,
      '--from',
      '2026-06-03',
      '--to',
      '2026-06-04',
      '--now',
      '2026-06-10T00:00:00Z',
      '--format',
      'json',
    ]);
    expect(result.status).toBe(0);
    const findings = JSON.parse(result.stdout) as Record<string, unknown>[];
    // $15 of $15 on 2026-06-04 has no workload tag: untagged-spend (≥10% and ≥$10); provisional, since the
    // newest usage hour (2026-06-05T00:00Z) is not yet 48 h past the end of the day.
    expect(findings.map((f) => [f.rule, f.day, f.provisional])).toEqual([
      ['untagged-spend', '2026-06-04', true],
    ]);
    for (const f of findings) {
      expect(f).toEqual(
        expect.objectContaining({
          rule: expect.any(String),
          day: expect.any(String),
          severity: expect.any(String),
          provisional: expect.any(Boolean),
          fingerprint: expect.any(String),
        }),
      );
      expect(f.labels).toEqual(
        expect.objectContaining({ workload: expect.any(String), model: expect.any(String) }),
      );
    }
  });

  it('routes test prints the receivers a label set reaches', () => {
    const config = join(ROOT, 'fixtures/config/example.yaml');
    const page = runCli(['routes', 'test', 'workload=support-bot', 'severity=page', '--config', config]);
    expect(page.stdout.trim().split('\n')).toEqual(['oncall', 'owners']);
    const warning = runCli([
      'routes',
      'test',
      'workload=support-bot',
      'severity=warning',
      '--config',
      config,
      '--expect',
      'owners',
    ]);
    expect(warning.status).toBe(0);
    expect(
      runCli(['routes', 'test', 'severity=warning', '--config', config, '--expect', 'oncall']).status,
    ).toBe(1);
  });

  it('adds, lists and expires a silence', () => {
    const state = join(dir, 'silences');
    const added = runCli([
      'silence',
      'add',
      '-m',
      'workload="search"',
      '-d',
      '2h',
      '-c',
      'load test',
      '--store',
      state,
    ]);
    expect(added.status).toBe(0);
    const id = added.stdout.split('\t')[0]!;
    const listed = JSON.parse(runCli(['silence', 'list', '--store', state, '--format', 'json']).stdout);
    expect(listed).toEqual([
      expect.objectContaining({ id, state: 'active', matchers: '{workload="search"}', comment: 'load test' }),
    ]);
    expect(runCli(['silence', 'expire', id, '--store', state]).status).toBe(0);
    expect(JSON.parse(runCli(['silence', 'list', '--store', state, '--format', 'json']).stdout)).toEqual([]);
    expect(runCli(['silence', 'expire', 'nope', '--store', state]).status).toBe(1);
  });
});
