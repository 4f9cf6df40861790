import { relative } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { writeCommittedFixtures } from '../../fixtures/committed-preset.js';
import { type GenerateResult, generateCur, type ProgressEvent } from '../../fixtures/generate.js';
import {
  ANOMALY_KINDS,
  CUR_FORMATS,
  type Injection,
  parseInjection,
  SCENARIOS,
} from '../../fixtures/options.js';
import { checkDayOptions } from '../options.js';

interface GenerateCliOptions {
  out: string;
  format: (typeof CUR_FORMATS)[number];
  preset?: 'committed';
  start: string;
  days: number;
  granularity: 'daily' | 'hourly';
  accounts: number;
  workloads: number;
  seed: number;
  rows: number;
  bedrockShare: number;
  linesPerGroup: number;
  costDigits: '15' | '17';
  scenario: (typeof SCENARIOS)[number];
  inject: Injection[];
  exportName?: string;
  bucket: string;
  prefix: string;
  chunkRows: number;
  emptyChunk?: boolean;
  gzip?: boolean;
  iamPrincipal: boolean;
  utilization: boolean;
  threads: number;
  json?: boolean;
}

function integer(min: number) {
  return (text: string): number => {
    const value = Number(text.replaceAll('_', ''));
    if (!Number.isInteger(value) || value < min)
      throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    return value;
  };
}

function fraction(text: string): number {
  const value = Number(text);
  if (!(value > 0 && value <= 1)) throw new InvalidArgumentError('expected a number in (0, 1]');
  return value;
}

function injection(text: string, previous: Injection[] = []): Injection[] {
  try {
    return [...previous, parseInjection(text)];
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** `bedrock-cost fixtures …`: synthetic CUR deliveries for tests, demos and benchmarks. */
export function fixturesCommand(): Command {
  const fixtures = new Command('fixtures').description(
    'Synthetic but realistic AWS Cost and Usage Report deliveries with Amazon Bedrock spend, for tests, demos ' +
      'and benchmarks. Deterministic: the same options and seed give byte-identical files.',
  );
  fixtures.addCommand(generateCommand());
  return fixtures;
}

function generateCommand(): Command {
  return new Command('generate')
    .description(
      'Generate one CUR delivery under --out: data files, then expected.json (ground truth), then the manifest.',
    )
    .requiredOption('--out <dir>', 'output directory (the export folder is created inside it)')
    .addOption(new Option('--format <format>', 'CUR format').choices([...CUR_FORMATS]).default('cur2'))
    .addOption(
      new Option(
        '--preset <name>',
        'write a fixed fixture set instead (committed = fixtures/cur, for make fixtures)',
      ).choices(['committed']),
    )
    .option('--start <YYYY-MM-DD>', 'first usage day (UTC)', '2026-06-01')
    .option('--days <n>', 'number of days', integer(1), 30)
    .addOption(
      new Option('--granularity <g>', 'line-item time granularity')
        .choices(['daily', 'hourly'])
        .default('daily'),
    )
    .option(
      '--accounts <n>',
      'usage accounts (prod-genai, dev-sandbox, staging-ml, prod-platform, …)',
      integer(1),
      4,
    )
    .option(
      '--workloads <n>',
      'Bedrock workloads (the first six cover every usage-type family; the eleventh, claims-triage, adds the standard on-demand traffic the commitment review prices PT against)',
      integer(1),
      6,
    )
    .option('--seed <n>', 'random seed', integer(0), 42)
    .option(
      '--rows <n>',
      'total rows, Bedrock and other services; 0 = Bedrock rows ÷ --bedrock-share',
      integer(0),
      0,
    )
    .option('--bedrock-share <fraction>', 'share of rows that are Bedrock line items', fraction, 0.05)
    .option(
      '--lines-per-group <n>',
      'line items added to reach --rows that share one group key (resource, caller, tags); 1 = each its own',
      integer(1),
      1,
    )
    .addOption(
      new Option(
        '--cost-digits <n>',
        'significant digits of usage costs: 15 (as CUR writes them) or 17 (as currency conversion leaves them)',
      )
        .choices(['15', '17'])
        .default('15'),
    )
    .addOption(
      new Option('--scenario <name>', 'baseline (no anomalies) or anomalies (every kind on its own day)')
        .choices([...SCENARIOS])
        .default('baseline'),
    )
    .option(
      '--inject <kind@YYYY-MM-DD[:workload]>',
      'inject one anomaly (repeatable), e.g. spend-spike@2026-06-10:support-bot',
      injection,
      [],
    )
    .option(
      '--export-name <name>',
      'export / report name (default bedrock-cost-cur2, legacy bedrock-cost-cur)',
    )
    .option('--bucket <name>', 'S3 bucket named in the manifest', 'example-cur-bucket')
    .option('--prefix <prefix>', 'S3 prefix named in the manifest', 'cur')
    .option('--chunk-rows <n>', 'rows per data file before a new chunk starts', integer(1), 2_000_000)
    .option(
      '--empty-chunk',
      'add a zero-byte chunk the manifest lists (as AWS leaves when an export shrinks)',
    )
    .option('--gzip', 'legacy-csv: write .csv.gz')
    .option('--no-iam-principal', 'cur2: leave out line_item_iam_principal (export without caller identity)')
    .option(
      '--no-utilization',
      'do not write <export>/utilization.json (hourly utilization of the commitments)',
    )
    .option('--threads <n>', 'DuckDB threads for writing (files are identical for any value)', integer(1), 2)
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      '\nLayouts under --out:\n' +
        '  cur2            <export>/data/BILLING_PERIOD=YYYY-MM/<export>-00001.snappy.parquet (…-00002 when large)\n' +
        '                  <export>/metadata/BILLING_PERIOD=YYYY-MM/<export>-Manifest.json\n' +
        '  legacy-parquet  <report>/<yyyymmdd-yyyymmdd>/<report>-00001.snappy.parquet and <report>-Manifest.json\n' +
        '  legacy-csv      <report>/<yyyymmdd-yyyymmdd>/<report>-00001.csv[.gz] and <report>-Manifest.json\n' +
        '  <export>/expected.json: Σ Bedrock cost per billing period, injected anomalies, commitments, workloads\n' +
        '  <export>/utilization.json: hourly CloudWatch-shaped readings of the commitments it bills (Invocations,\n' +
        '                  InputTokenCount, OutputTokenCount), for review provisioned --utilization-file\n' +
        `\nAnomaly kinds: ${ANOMALY_KINDS.join(', ')}\n` +
        '\nExamples:\n' +
        '  bedrock-cost fixtures generate --out out/cur --days 30 --scenario anomalies\n' +
        '  bedrock-cost fixtures generate --out out/big --rows 5000000 --granularity hourly\n' +
        '  bedrock-cost fixtures generate --out out/grouped --rows 1000000 --lines-per-group 400 --cost-digits 17\n' +
        '  bedrock-cost fixtures generate --out out/legacy --format legacy-csv --gzip --start 2026-01-10 --days 10\n' +
        '  bedrock-cost fixtures generate --out out/x --inject spend-spike@2026-06-10:support-bot \\\n' +
        '      --inject untagged-spend@2026-06-17\n' +
        '  bedrock-cost fixtures generate --preset committed --out fixtures/cur\n',
    )
    .action(async (options: GenerateCliOptions) => {
      process.exitCode = await runGenerate(options);
    });
}

async function runGenerate(options: GenerateCliOptions): Promise<number> {
  checkDayOptions({ '--start': options.start });
  const progress = stderrProgress();
  if (options.preset === 'committed') {
    const result = await writeCommittedFixtures(options.out);
    const rows = result.deliveries.reduce((s, d) => s + d.totalRows, 0);
    if (options.json) {
      printJson({
        preset: 'committed',
        out: options.out,
        deliveries: result.deliveries.map((d) => summary(d, options.out)),
        files: result.files.map((f) => relative(options.out, f)),
      });
    } else {
      process.stdout.write(
        `committed fixtures: ${result.deliveries.length} deliveries + bad inputs, ${result.files.length} files, ${rows} rows in ${options.out}\n`,
      );
    }
    return 0;
  }
  const result = await generateCur(
    {
      outDir: options.out,
      format: options.format,
      start: options.start,
      days: options.days,
      granularity: options.granularity,
      accounts: options.accounts,
      workloads: options.workloads,
      seed: options.seed,
      scenario: options.scenario,
      injections: options.inject,
      rows: options.rows,
      bedrockShare: options.bedrockShare,
      linesPerGroup: options.linesPerGroup,
      costDigits: options.costDigits === '17' ? 17 : 15,
      ...(options.exportName ? { exportName: options.exportName } : {}),
      bucket: options.bucket,
      prefix: options.prefix,
      chunkRows: options.chunkRows,
      emptyChunk: options.emptyChunk ?? false,
      gzip: options.gzip ?? false,
      iamPrincipal: options.iamPrincipal,
      utilization: options.utilization,
      threads: options.threads,
    },
    { onProgress: progress.update },
  );
  progress.done();
  for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
  if (options.json) {
    printJson(summary(result, options.out));
  } else {
    const anomalies = result.expected.anomalies.length;
    process.stdout.write(
      `${result.options.format} ${result.exportName}: ${result.dataFiles.length} data file(s), ${result.manifests.length} manifest(s), ` +
        `${result.totalRows} rows, ${result.bedrockRows} Bedrock rows, Σ Bedrock cost ${result.bedrockCost} USD` +
        `${anomalies ? `, ${anomalies} anomalies` : ''} → ${relative(process.cwd(), result.root) || '.'}\n`,
    );
    if (result.utilizationPath) {
      process.stdout.write(
        `commitment utilization (hourly, for review provisioned --utilization-file): ${relative(process.cwd(), result.utilizationPath)}\n`,
      );
    }
  }
  return 0;
}

function summary(result: GenerateResult, out: string) {
  return {
    format: result.options.format,
    exportName: result.exportName,
    root: result.root,
    dataFiles: result.dataFiles.map((f) => relative(out, f)),
    manifests: result.manifests.map((f) => relative(out, f)),
    expected: relative(out, result.expectedPath),
    utilization: result.utilizationPath === null ? null : relative(out, result.utilizationPath),
    totalRows: result.totalRows,
    bedrockRows: result.bedrockRows,
    bedrockUnblendedCost: result.bedrockCost,
    anomalies: result.expected.anomalies,
    warnings: result.warnings,
  };
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A single self-overwriting progress line on stderr, only when stderr is a terminal. */
function stderrProgress() {
  const tty = process.stderr.isTTY === true;
  let shown = false;
  const line = (text: string) => {
    if (!tty) return;
    process.stderr.write(`\r\u001b[2K${text}`);
    shown = true;
  };
  return {
    update: (event: ProgressEvent) => {
      if (event.stage === 'bedrock') line(`bedrock line items: ${event.rows}`);
      if (event.stage === 'stage') line(`loading bedrock rows: ${event.appended}/${event.of}`);
      if (event.stage === 'write') {
        const pct = event.of > 0 ? Math.floor((100 * event.rowsWritten) / event.of) : 100;
        line(`writing: ${event.rowsWritten}/${event.of} rows (${pct}%)`);
      }
    },
    done: () => {
      if (shown) process.stderr.write('\r\u001b[2K');
    },
  };
}
