// `make bench`: whole-process `bedrock-cost ingest` (read → facts written → reconciled) against DuckDB alone
// running the Bedrock filter + GROUP BY, tag values read from the tag map, on the same files (bench/duckdb-bare.mjs;
// `ratio_plain` in the detail line: against the filter + GROUP BY without the tags). Runs alternate, medians are
// reported, and the result is a ratio measured in the same run, because these machines are shared and noisy.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DEFAULT_CONFIG_PATH } from '../dist/config/load.js';
import { normaliseTagKey } from '../dist/core/normalize/stage1-row.js';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin/bedrock-cost.js');
const DATA = join(ROOT, 'bench/data');
const REPS = Number(process.env.BENCH_REPS ?? 3);
const THREADS = process.env.BENCH_THREADS ?? '2';
const SIZES = (process.env.BENCH_ROWS ?? '1000000,5000000').split(',').map(Number);
// File shapes, each generated once per size with the fixture generator (5% Bedrock rows, seed 7):
// - cur2-hourly: hourly line items, most Bedrock lines their own group (as the reference benchmark,
//   parquet-bench.md, used);
// - cur2-daily-grouped: daily line items, hundreds of lines per group and few groups (as a busy organisation's
//   CUR 2.0 export with daily granularity looks);
// - legacy-csv: the legacy CUR as CSV (the reader parses text);
// - cur2-17digit: usage costs with 16–17 significant digits (currency conversion).
// BENCH_SHAPES=a,b picks shapes (cur2-daily: daily, every line its own group, the worst case for stage 2;
// BENCH_GRANULARITY=daily runs only that one).
const SHAPES = {
  'cur2-hourly': ['--format', 'cur2', '--granularity', 'hourly'],
  'cur2-daily-grouped': [
    '--format',
    'cur2',
    '--granularity',
    'daily',
    '--workloads',
    '3',
    '--lines-per-group',
    '1000',
  ],
  'legacy-csv': ['--format', 'legacy-csv', '--granularity', 'hourly'],
  'cur2-17digit': ['--format', 'cur2', '--granularity', 'hourly', '--cost-digits', '17'],
  'cur2-daily': ['--format', 'cur2', '--granularity', 'daily'],
};
const SHAPE_NAMES = (
  process.env.BENCH_SHAPES ??
  (process.env.BENCH_GRANULARITY === 'daily'
    ? 'cur2-daily'
    : 'cur2-hourly,cur2-daily-grouped,legacy-csv,cur2-17digit')
).split(',');
for (const shape of SHAPE_NAMES) {
  if (!SHAPES[shape])
    throw new Error(`unknown BENCH_SHAPES entry ${shape} (known: ${Object.keys(SHAPES).join(', ')})`);
}
// BENCH_CLI=/path/to/bin/bedrock-cost.js times another build (e.g. main's) on the same files.
const INGEST_CLI = process.env.BENCH_CLI ? resolve(process.env.BENCH_CLI) : CLI;

function run(command, args) {
  const started = process.hrtime.bigint();
  const child = spawnSync('/usr/bin/time', ['-v', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${child.status}):\n${child.stderr.slice(-2000)}`);
  }
  const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(child.stderr)?.[1] ?? 'NaN');
  // CPU seconds (user + system) are steadier than wall time on a shared machine; reported beside it.
  const cpu = ['User', 'System'].reduce(
    (sum, kind) =>
      sum + Number(new RegExp(`${kind} time \\(seconds\\): ([\\d.]+)`).exec(child.stderr)?.[1] ?? 'NaN'),
    0,
  );
  return { seconds, cpu, rssMb: rssKb / 1024, stdout: child.stdout };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function ensureExport(shape, rows) {
  const out = join(DATA, `${shape}-${rows}`);
  const exportRoot = join(out, 'bench-cur');
  if (!existsSync(join(exportRoot, 'expected.json'))) {
    console.error(`generating a ${rows.toLocaleString('en-US')}-row ${shape} export in ${out} …`);
    rmSync(out, { recursive: true, force: true });
    const gen = spawnSync(
      process.execPath,
      [
        CLI,
        'fixtures',
        'generate',
        ...SHAPES[shape],
        '--export-name',
        'bench-cur',
        '--rows',
        String(rows),
        '--seed',
        '7',
        '--out',
        out,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (gen.status !== 0) throw new Error(`fixture generation failed for ${shape} ${rows} rows`);
  }
  return exportRoot;
}

function dataFiles(exportRoot) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(parquet|csv|csv\.gz)$/.test(entry.name)) files.push(full);
    }
  };
  walk(existsSync(join(exportRoot, 'data')) ? join(exportRoot, 'data') : exportRoot);
  return files.sort();
}

if (process.env.BENCH_GENERATE_ONLY) {
  for (const shape of SHAPE_NAMES) for (const rows of SIZES) ensureExport(shape, rows);
  process.exit(0);
}

/** One whole-process ingest of `exportRoot` by the CLI at `cli`, checked to have reconciled. */
function ingestOnce(cli, exportRoot) {
  const store = mkdtempSync(join(tmpdir(), 'bc-bench-store-'));
  try {
    const result = run(process.execPath, [
      cli,
      'ingest',
      exportRoot,
      '--store',
      store,
      '--threads',
      THREADS,
      '--format',
      'json',
    ]);
    const report = JSON.parse(result.stdout);
    if (report.failures.length > 0 || !report.deliveries.every((d) => d.periods.every((p) => p.reconciled))) {
      throw new Error(`ingest did not reconcile: ${result.stdout.slice(0, 2000)}`);
    }
    return { ...result, groups: report.deliveries.reduce((n, d) => n + d.groups, 0) };
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
}

function summary(runs, bare, plain) {
  const ingestS = median(runs.map((r) => r.seconds));
  const bareS = median(bare.map((r) => r.seconds));
  return {
    ingestS,
    bareS,
    ratio: ingestS / bareS,
    ratioPlain: ingestS / median(plain.map((r) => r.seconds)),
    cpuRatio: median(runs.map((r) => r.cpu)) / median(bare.map((r) => r.cpu)),
    rss: median(runs.map((r) => r.rssMb)),
  };
}

// The tag keys the ingest attributes by (`attribution.tag_keys` of the default configuration), normalised as it does.
const ATTRIBUTED = new Set(
  Object.values(JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, 'utf8')).attribution.tag_keys)
    .flat()
    .map(normaliseTagKey),
);

/**
 * The user tags of `files` the ingest attributes by, as DuckDB alone reads them: `resource_tags` map keys (seen in the
 * first 100,000 rows) of CUR 2.0 Parquet, `resourceTags/user:` columns of the legacy CSV. Found before the timing.
 */
async function attributedTags(files) {
  const csv = files.every((f) => /\.csv(\.gz)?$/.test(f));
  const list = `[${files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')}]`;
  const [prefix, sql] = csv
    ? [
        'resourceTags/user:',
        `SELECT column_name AS k FROM (DESCRIBE SELECT * FROM read_csv(${list}, header = true, union_by_name = true))`,
      ]
    : [
        'user_',
        `SELECT DISTINCT unnest(map_keys(resource_tags)) AS k FROM (SELECT resource_tags FROM read_parquet(${list}, union_by_name = true) LIMIT 100000)`,
      ];
  const instance = await DuckDBInstance.create(':memory:', { threads: THREADS });
  try {
    const connection = await instance.connect();
    const keys = (await connection.runAndReadAll(sql)).getRowObjectsJS().map((r) => String(r.k));
    connection.closeSync();
    return keys
      .filter((k) => k.startsWith(prefix) && ATTRIBUTED.has(normaliseTagKey(k.slice(prefix.length))))
      .sort();
  } finally {
    instance.closeSync();
  }
}

/** One DuckDB-alone process (bench/duckdb-bare.mjs), reading `tags` (none: the filter + GROUP BY alone). */
function bareOnce(files, tags) {
  const result = run(process.execPath, [
    join(ROOT, 'bench/duckdb-bare.mjs'),
    THREADS,
    ...(tags.length ? ['--tags', JSON.stringify(tags)] : []),
    ...files,
  ]);
  return { ...result, ...JSON.parse(result.stdout) };
}

// BENCH_BEFORE_CLI=/path/to/bin/bedrock-cost.js also times another build (e.g. main's) in the same alternation,
// and prints its figures as `before:` lines.
const BEFORE_CLI = process.env.BENCH_BEFORE_CLI ? resolve(process.env.BENCH_BEFORE_CLI) : null;
const lines = [];
for (const shape of SHAPE_NAMES)
  for (const rows of SIZES) {
    const exportRoot = ensureExport(shape, rows);
    const files = dataFiles(exportRoot);
    const tags = await attributedTags(files);
    if (tags.length === 0)
      throw new Error(`${shape}: the files carry none of the tags the ingest attributes by`);
    const ingest = [];
    const before = [];
    const bare = [];
    const plain = [];
    // One untimed read first, so that no timed run pays for files the page cache no longer holds (the 3.9 GB legacy
    // CSV, read after the other shapes, took 14 s instead of 5 s in the first, cold, ingest).
    bareOnce(files, []);
    for (let rep = 0; rep < REPS; rep++) {
      if (BEFORE_CLI) before.push(ingestOnce(BEFORE_CLI, exportRoot));
      ingest.push(ingestOnce(INGEST_CLI, exportRoot));
      bare.push(bareOnce(files, tags));
      plain.push(bareOnce(files, []));
      console.error(
        `${shape} rows=${rows} rep ${rep + 1}/${REPS}: ingest ${ingest.at(-1).seconds.toFixed(2)} s, ` +
          `${BEFORE_CLI ? `before ${before.at(-1).seconds.toFixed(2)} s, ` : ''}duckdb alone ${bare.at(-1).seconds.toFixed(2)} s ` +
          `(plain ${plain.at(-1).seconds.toFixed(2)} s)`,
      );
    }
    const now = summary(ingest, bare, plain);
    const bareRss = median(bare.map((r) => r.rssMb));
    const name = `ingest-${shape}-${rows >= 1e6 ? `${rows / 1e6}m` : rows}`;
    console.log(
      `detail: ${name} ingest_median_s=${now.ingestS.toFixed(3)} duckdb_alone_median_s=${now.bareS.toFixed(3)} ` +
        `rows_per_s=${Math.round(rows / now.ingestS)} tags=${tags.join('|')} bedrock_groups=${ingest.at(-1).groups} duckdb_alone_rss_mb=${bareRss.toFixed(0)} reps=${REPS} threads=${THREADS} ` +
        `ingest_runs_s=[${ingest.map((r) => r.seconds.toFixed(2)).join(',')}] bare_runs_s=[${bare.map((r) => r.seconds.toFixed(2)).join(',')}] ` +
        `ratio_plain=${now.ratioPlain.toFixed(2)} plain_runs_s=[${plain.map((r) => r.seconds.toFixed(2)).join(',')}] ` +
        `cpu_ratio=${now.cpuRatio.toFixed(2)} ingest_cpu_s=[${ingest.map((r) => r.cpu.toFixed(2)).join(',')}] bare_cpu_s=[${bare.map((r) => r.cpu.toFixed(2)).join(',')}]`,
    );
    if (BEFORE_CLI) {
      const then = summary(before, bare, plain);
      console.log(
        `before: ${name} ratio=${then.ratio.toFixed(2)} ratio_plain=${then.ratioPlain.toFixed(2)} cpu_ratio=${then.cpuRatio.toFixed(2)} rss_mb=${then.rss.toFixed(0)} ` +
          `ingest_median_s=${then.ingestS.toFixed(3)} runs_s=[${before.map((r) => r.seconds.toFixed(2)).join(',')}] ` +
          `cpu_s=[${before.map((r) => r.cpu.toFixed(2)).join(',')}]`,
      );
    }
    lines.push(`bench: ${name} rows=${rows} ratio=${now.ratio.toFixed(2)} rss_mb=${now.rss.toFixed(0)}`);
  }
console.log(lines.join('\n'));
