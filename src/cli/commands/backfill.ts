import { AthenaClient } from '@aws-sdk/client-athena';
import { Command, InvalidArgumentError, Option } from 'commander';
import { athenaStage1EngineFactory } from '../../adapters/athena/athena-engine.js';
import { configuredTagKeys, type IngestReport, ingestDelivery } from '../../app/ingest-delivery.js';
import type { Delivery } from '../../app/ports/ingest.js';
import { loadConfig } from '../../config/load.js';
import { ConfigError, describeError } from '../../core/errors.js';
import { canonicalJson, sha256Hex } from '../../core/keys.js';
import { formatMoney, formatUsd, sumMoney } from '../../core/money.js';
import { cliModelCatalog } from '../catalog-loader.js';
import { printJson } from '../output/format-option.js';
import { coverageLines } from '../output/model-coverage.js';
import { terminalProgress } from '../output/progress.js';
import { renderTable } from '../output/table.js';
import { openStore, STORE_HELP, storeRoot } from '../wiring.js';
import { ingestFiguresJson, PERIOD_FIGURE_HEADERS, periodFigureCells } from './ingest.js';

interface BackfillOptions {
  from: string;
  to: string;
  database: string;
  table: string;
  workgroup: string;
  outputLocation?: string;
  catalog: string;
  export?: string;
  store?: string;
  config?: string;
  format: 'table' | 'json';
}

/** What tests replace: the Athena client, the waits between state checks, the clock. */
export interface BackfillOverrides {
  athenaClient?: AthenaClient;
  sleep?: (ms: number) => Promise<void>;
  clock?: () => Date;
}

/** A backfill longer than this is more likely a typo in --from than a wish. */
const MAX_PERIODS = 120;

export function backfillCommand(overrides: BackfillOverrides = {}): Command {
  return new Command('backfill')
    .summary('re-ingest billing periods with Athena over the CUR Glue table')
    .description(
      'Rebuild the daily facts of past billing periods with Athena.\n\n' +
        'For each month from --from to --to, runs the stage-1 SQL (the same sql/ statements `ingest` runs\n' +
        'on DuckDB) on the CUR table in the Glue catalog, then the same normalisation, reconciliation (to\n' +
        '1e-6 USD) and atomic snapshot replacement as `ingest`. Every run re-queries: a backfill is never\n' +
        'reported "unchanged". A month whose partition has no rows fails instead of erasing its facts.',
    )
    .requiredOption('--from <YYYY-MM>', 'first billing period', parsePeriod)
    .requiredOption('--to <YYYY-MM>', 'last billing period (inclusive)', parsePeriod)
    .requiredOption('--database <name>', 'Glue database of the CUR table')
    .requiredOption('--table <name>', 'CUR table (CUR 2.0: billing_period partition; legacy: year/month)')
    .requiredOption('--workgroup <name>', 'Athena workgroup to run the queries in')
    .option('--output-location <s3://bucket/prefix>', 'query result location, unless the workgroup sets one')
    .option('--catalog <name>', 'data catalog', 'AwsDataCatalog')
    .option(
      '--export <name>',
      'export name the facts are stored under (default: the table name); use the name `ingest` uses for\n' +
        'this export, or the period is stored twice under two names',
    )
    .option('--store <dir|s3://bucket/prefix>', STORE_HELP)
    .option('--config <file>', 'YAML config (attribution tag keys, accounts, …); defaults apply without it')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (options: BackfillOptions) => {
      process.exitCode = await runBackfill(options, overrides);
    });
}

function parsePeriod(value: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new InvalidArgumentError('expected YYYY-MM');
  return value;
}

/** Every YYYY-MM from `from` to `to`, inclusive. */
export function billingPeriodsBetween(from: string, to: string): string[] {
  const index = (p: string) => Number(p.slice(0, 4)) * 12 + Number(p.slice(5, 7)) - 1;
  const periods: string[] = [];
  for (let i = index(from); i <= index(to); i++) {
    periods.push(`${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
  }
  return periods;
}

async function runBackfill(options: BackfillOptions, overrides: BackfillOverrides): Promise<number> {
  const periods = billingPeriodsBetween(options.from, options.to);
  if (periods.length === 0) throw new ConfigError(`--from ${options.from} is after --to ${options.to}`);
  if (periods.length > MAX_PERIODS) {
    throw new ConfigError(
      `--from/--to span ${periods.length} billing periods; at most ${MAX_PERIODS} at once`,
    );
  }
  const config = await loadConfig(options.config);
  const catalog = await cliModelCatalog(config);
  const { store, ledger } = await openStore(storeRoot(options.store));
  const clock = overrides.clock ?? (() => new Date());
  const engines = athenaStage1EngineFactory({
    client: overrides.athenaClient ?? new AthenaClient({}),
    database: options.database,
    table: options.table,
    workgroup: options.workgroup,
    catalog: options.catalog,
    ...(options.outputLocation ? { outputLocation: options.outputLocation } : {}),
    ...(overrides.sleep ? { sleep: overrides.sleep } : {}),
  });
  const exportName = options.export ?? options.table;
  const tagKeys = configuredTagKeys(config);
  const runAt = clock().toISOString();
  const progress = terminalProgress();
  const reports: IngestReport[] = [];
  const failures: { period: string; error: string }[] = [];

  for (const [i, period] of periods.entries()) {
    const prefix = `[${i + 1}/${periods.length}] ${exportName} ${period}`;
    try {
      progress.update(`${prefix}: querying ${engines.label}`);
      const statement = await engines.statement(period, tagKeys);
      const delivery: Delivery = {
        exportName,
        objectKey: `${engines.label}/${period}`,
        // Nothing proves the table's content unchanged (its S3 objects are not listed): the statement
        // and the run time identify this snapshot.
        version: sha256Hex(canonicalJson({ statement, period, runAt })).slice(0, 32),
        billingPeriod: period,
        files: [],
      };
      reports.push(
        await ingestDelivery(delivery, {
          engine: engines.forPeriod(period),
          store,
          ledger,
          config,
          catalog,
          clock,
          // A backfill is asked for explicitly: it always re-queries, whatever the ledger holds.
          force: true,
          onProgress: (message) => progress.update(`${prefix}: ${message}`),
        }),
      );
    } catch (error) {
      failures.push({ period, error: describeError(error) });
    } finally {
      progress.done();
    }
  }

  if (options.format === 'json') {
    printJson({ store: store.location, table: engines.label, periods: reports.map(reportJson), failures });
  } else {
    printSummary(reports, failures, store.location);
  }
  return failures.length > 0 ? 1 : 0;
}

function reportJson(report: IngestReport) {
  const period = report.periods[0];
  return {
    billing_period: period?.billingPeriod ?? null,
    object_key: report.objectKey,
    export: report.exportName,
    ...ingestFiguresJson(report),
    reconciled: report.periods.every((p) => p.reconciliation.ok),
    warnings: report.warnings,
  };
}

function printSummary(
  reports: readonly IngestReport[],
  failures: readonly { period: string; error: string }[],
  location: string,
): void {
  const out: string[] = [];
  const rows = reports.flatMap((r) =>
    r.periods.map((p) => [p.billingPeriod, r.rowsRead.toLocaleString('en-US'), ...periodFigureCells(p)]),
  );
  if (rows.length > 0) {
    out.push(renderTable(['period', 'rows read', ...PERIOD_FIGURE_HEADERS], rows, [1, 2, 3, 4, 5]));
  }
  const total = sumMoney(reports.map((r) => r.cost));
  out.push(
    '',
    `${reports.length} billing period(s) rebuilt, ${failures.length} failed; facts in ${location}`,
    `Bedrock cost: ${formatUsd(total)} (exact ${formatMoney(total)} USD)`,
    ...coverageLines(reports.map((r) => r.coverage)),
  );
  for (const r of reports) for (const w of r.warnings) out.push(`warning: ${r.objectKey}: ${w}`);
  process.stdout.write(`${out.join('\n')}\n`);
  for (const f of failures) process.stderr.write(`error: ${f.period}: ${f.error}\n`);
}
