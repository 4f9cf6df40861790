// Times `bedrock-cost detect` over a year of daily facts for W workloads × 8 models, then with twice the
// workloads, to show how evaluation grows with the facts. Facts are written straight into a store with
// DuckDB (the same Parquet schema ingest writes), so the timing is of detect alone. Medians of BENCH_REPS.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin/bedrock-cost.js');
const { FACT_COLUMNS } = await import(join(ROOT, 'dist/core/facts/fact-schema.js'));
const { storedType } = await import(join(ROOT, 'dist/adapters/duckdb/fact-columns.js'));
const REPS = Number(process.env.BENCH_REPS ?? 3);
const WORKLOADS = (process.env.BENCH_WORKLOADS ?? '500,1000').split(',').map(Number);
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

function time(args) {
  const started = process.hrtime.bigint();
  const child = spawnSync('/usr/bin/time', ['-v', process.execPath, CLI, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) throw new Error(`detect failed: ${child.stderr.slice(-2000)}`);
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(child.stderr)?.[1] ?? 'NaN') / 1024;
  return { seconds, rss, findings: JSON.parse(child.stdout).length };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = [];
for (const workloads of WORKLOADS) {
  const store = await writeStore(workloads);
  const facts = 365 * workloads * 8 * 3;
  const runs = [];
  for (let rep = 0; rep < REPS; rep++) {
    runs.push(
      time([
        'detect',
        '--store',
        store,
        '--from',
        '2025-01-01',
        '--to',
        '2025-12-31',
        '--now',
        '2026-01-10T00:00:00Z',
        '--format',
        'json',
      ]),
    );
    console.error(`workloads=${workloads} rep ${rep + 1}/${REPS}: ${runs.at(-1).seconds.toFixed(2)} s`);
  }
  results.push({
    workloads,
    facts,
    seconds: median(runs.map((r) => r.seconds)),
    rss: median(runs.map((r) => r.rss)),
    findings: runs[0].findings,
  });
}
for (const r of results) {
  console.log(
    `bench: detect-year workloads=${r.workloads} models=8 facts=${r.facts} median_s=${r.seconds.toFixed(2)} rss_mb=${r.rss.toFixed(0)} findings=${r.findings}`,
  );
}
if (results.length === 2)
  console.log(
    `bench: detect-year growth facts×${(results[1].facts / results[0].facts).toFixed(1)} time×${(results[1].seconds / results[0].seconds).toFixed(2)}`,
  );
