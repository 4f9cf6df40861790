// Times `bedrock-cost detect` over a year of daily facts for W workloads × 8 models (BENCH_WORKLOADS, default
// 100, 200 and 500), and beside it DuckDB alone building the same rule series (bench/series-bare.mjs: the same
// statements and measures, results streamed back unconverted) in a bare process over the same files: the ratio is
// what turning the series into grids and judging them in TypeScript adds. Facts are
// written straight into a store with DuckDB (the same Parquet schema ingest writes), so the timing is of
// detect alone. Medians of BENCH_REPS; peak RSS from GNU time. Growth: seconds per million facts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin/bedrock-cost.js');
const { FACT_COLUMNS } = await import(join(ROOT, 'dist/core/facts/fact-schema.js'));
const { storedType } = await import(join(ROOT, 'dist/adapters/duckdb/fact-columns.js'));
const { loadConfig } = await import(join(ROOT, 'dist/config/load.js'));
const REPS = Number(process.env.BENCH_REPS ?? 3);
const WORKLOADS = (process.env.BENCH_WORKLOADS ?? '100,200,500').split(',').map(Number);
const MODELS = [
  'anthropic.claude-sonnet-4-6',
  'anthropic.claude-haiku-4-5',
  'anthropic.claude-opus-4-6',
  'amazon.nova-lite',
  'amazon.nova-pro',
  'meta.llama3-3-70b-instruct',
  'openai.gpt-oss-120b',
  'mistral.mistral-large-3',
];
const TIERS = ['standard', 'economy', 'premium', 'economy', 'standard', 'standard', 'standard', 'premium'];

/** One row per day × workload × model × usage kind (input, output, cache_read) for 2025. */
function factsSql(workloads, month) {
  const kinds = "['input', 'output', 'cache_read']";
  const expr = {
    usage_date: "strftime(d, '%Y-%m-%d')",
    billing_period: "strftime(d, '%Y-%m')",
    payer_account: "'999988887777'",
    usage_account: "lpad(CAST(111111111111 + w % 20 AS VARCHAR), 12, '0')",
    usage_account_name: "CASE WHEN w % 4 = 0 THEN 'dev-sandbox' ELSE 'prod-genai' END",
    region: "'us-east-1'",
    billing_path: "CASE WHEN m < 3 THEN 'marketplace' ELSE 'first_party' END",
    model: `[${MODELS.map((x) => `'${x}'`).join(', ')}][m + 1]`,
    model_family: "'bench'",
    model_provider: "'bench'",
    model_tier: `[${TIERS.map((x) => `'${x}'`).join(', ')}][m + 1]`,
    usage_kind: `${kinds}[k + 1]`,
    service_tier: "'standard'",
    routing: "'in_region'",
    context: "'standard'",
    resource_kind: "'application-inference-profile'",
    resource_id: "'arn:aws:bedrock:us-east-1:111111111111:application-inference-profile/w' || w",
    usage_type: "'USE1-bench-' || k",
    workload: "CASE WHEN w % 50 = 7 THEN '__unallocated__' ELSE 'workload-' || w END",
    team: "'team-' || (w % 40)",
    cost_center: "'cc-' || (w % 10)",
    environment: "CASE WHEN w % 4 = 0 THEN 'dev' ELSE 'prod' END",
    account_environment: "CASE WHEN w % 4 = 0 THEN 'non-prod' ELSE 'prod' END",
    attribution_source: "'resource_tag'",
    iam_principal: "''",
    line_item_type: "'Usage'",
    // Deterministic daily noise around a per-series base; weekends lower.
    tokens:
      'CAST((1000000 + (hash(w, m, k) % 5000000)) * (CASE WHEN dayofweek(d) IN (0, 6) THEN 0.6 ELSE 1 END) * (0.9 + (hash(w, m, k, d) % 200) / 1000.0) AS BIGINT)',
    usage_amount: 'CAST(tokens / 1000.0 AS DECIMAL(38, 15))',
    pricing_unit: "'1K tokens'",
    cost_unblended:
      'CAST(tokens * (CASE k WHEN 0 THEN 0.000003 WHEN 1 THEN 0.000015 ELSE 0.0000003 END) AS DECIMAL(38, 15))',
    cost_net: 'cost_unblended',
    line_items: '24',
    source_export: "'bench'",
    snapshot_id: "'bench'",
  };
  const ordered = FACT_COLUMNS.map((c) => `CAST(${expr[c.name]} AS ${storedType(c.kind)}) AS ${c.name}`);
  return `SELECT ${ordered.join(', ')} FROM (
    SELECT d, w, m, k, ${expr.tokens} AS tokens
    FROM (SELECT CAST(range AS DATE) AS d FROM range(DATE '${month}-01', DATE '${month}-01' + INTERVAL 1 MONTH, INTERVAL 1 DAY)) days,
         range(${workloads}) t(w), range(8) u(m), range(3) v(k))`;
}

async function writeStore(workloads) {
  const store = join(ROOT, 'bench/data', `detect-${workloads}w`);
  if (existsSync(join(store, 'facts/billing_period=2025-12'))) return store;
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  for (let m = 1; m <= 12; m++) {
    const month = `2025-${String(m).padStart(2, '0')}`;
    const dir = join(store, 'facts', `billing_period=${month}`);
    mkdirSync(dir, { recursive: true });
    await connection.run(
      `COPY (${factsSql(workloads, month)}) TO '${join(dir, 'bench.parquet')}' (FORMAT parquet, COMPRESSION zstd,
       KV_METADATA {'bedrock_cost.snapshot_id': 'bench', 'bedrock_cost.newest_usage_end': '2026-01-03T00:00:00Z'})`,
    );
  }
  connection.closeSync();
  instance.closeSync();
  return store;
}

function run(script, args) {
  const started = process.hrtime.bigint();
  const child = spawnSync('/usr/bin/time', ['-v', process.execPath, script, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) throw new Error(`${script} failed: ${child.stderr.slice(-2000)}`);
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(child.stderr)?.[1] ?? 'NaN') / 1024;
  return { seconds, rss, stdout: child.stdout };
}

function time(args) {
  const r = run(CLI, args);
  return { ...r, findings: JSON.parse(r.stdout).length };
}

/** `detect` from `from` to the end of the year, as of a fixed time after it. */
function detectArgs(store, from) {
  const args = ['detect', '--store', store, '--from', from, '--to', '2025-12-31'];
  return [...args, '--now', '2026-01-10T00:00:00Z', '--format', 'json'];
}

/** The store's fact files, as detect reads them. */
function factFiles(store) {
  const out = [];
  for (let m = 1; m <= 12; m++) {
    out.push(join(store, 'facts', `billing_period=2025-${String(m).padStart(2, '0')}`, 'bench.parquet'));
  }
  return out;
}

/** The cost metrics the default rules read (detect sums only these): what the bare job sums too. */
const COST_METRICS_READ = [...new Set((await loadConfig(undefined)).rules.map((r) => r.cost_metric))].join(
  ',',
);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = [];
for (const workloads of WORKLOADS) {
  const store = await writeStore(workloads);
  const facts = 365 * workloads * 8 * 3;
  const runs = [];
  const bare = [];
  for (let rep = 0; rep < REPS; rep++) {
    // Detect reads the year plus 31 days of history before it; the bare job builds the series of the same window.
    bare.push(
      run(join(ROOT, 'bench/series-bare.mjs'), [
        '2',
        '2024-12-01',
        '2025-12-31',
        COST_METRICS_READ,
        ...factFiles(store),
      ]),
    );
    runs.push(time(detectArgs(store, '2025-01-01')));
    console.error(
      `workloads=${workloads} rep ${rep + 1}/${REPS}: detect ${runs.at(-1).seconds.toFixed(2)} s, DuckDB series ${bare.at(-1).seconds.toFixed(2)} s`,
    );
  }
  // What one CUR delivery costs the cur-delivery Lambda: detect over the affected billing period (the month
  // delivered) plus the rules' history, not the year.
  const delivery = [];
  for (let rep = 0; rep < REPS; rep++) {
    delivery.push(time(detectArgs(store, '2025-12-01')));
  }
  results.push({
    workloads,
    deliverySeconds: median(delivery.map((r) => r.seconds)),
    deliveryRss: median(delivery.map((r) => r.rss)),
    facts,
    seconds: median(runs.map((r) => r.seconds)),
    rss: median(runs.map((r) => r.rss)),
    findings: runs[0].findings,
    bareSeconds: median(bare.map((r) => r.seconds)),
    bareRss: median(bare.map((r) => r.rss)),
  });
}
for (const r of results) {
  console.log(
    `bench: detect-year workloads=${r.workloads} models=8 facts=${r.facts} median_s=${r.seconds.toFixed(2)} rss_mb=${r.rss.toFixed(0)} findings=${r.findings}`,
  );
  console.log(
    `bench: detect-year-vs-duckdb workloads=${r.workloads} duckdb_series_s=${r.bareSeconds.toFixed(2)} duckdb_rss_mb=${r.bareRss.toFixed(0)} time_ratio=${(r.seconds / r.bareSeconds).toFixed(2)} rss_ratio=${(r.rss / r.bareRss).toFixed(2)} s_per_million_facts=${((r.seconds / r.facts) * 1e6).toFixed(2)}`,
  );
}
for (const r of results) {
  console.log(
    `bench: detect-delivery workloads=${r.workloads} models=8 days=31 median_s=${r.deliverySeconds.toFixed(2)} rss_mb=${r.deliveryRss.toFixed(0)}`,
  );
}
for (let i = 1; i < results.length; i++) {
  const [a, b] = [results[i - 1], results[i]];
  console.log(
    `bench: detect-year growth workloads=${a.workloads}→${b.workloads} facts×${(b.facts / a.facts).toFixed(1)} time×${(b.seconds / a.seconds).toFixed(2)} rss×${(b.rss / a.rss).toFixed(2)}`,
  );
}
