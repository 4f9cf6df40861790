import { Command, Option } from 'commander';
import { duckDbStage1Engine } from '../../adapters/duckdb/stage1-reader.js';
import { discoverLocalDeliveries } from '../../adapters/local-fs/discover-deliveries.js';
import type { IngestReport } from '../../app/ingest-delivery.js';
import { type EngineChoice, type IngestOnceDeps, ingestOnce } from '../../app/ingest-once.js';
import type { DeliveryHandle } from '../../app/ports/delivery.js';
import type { Delivery } from '../../app/ports/ingest.js';
import { loadConfig } from '../../config/load.js';
import { describeError } from '../../core/errors.js';
import { describeShrink } from '../../core/facts/delivery-checks.js';
import { formatMoney, formatUsd, sumMoney } from '../../core/money.js';
import { cliModelCatalog } from '../catalog-loader.js';
import { printJson } from '../output/format-option.js';
import { coverageJson, coverageLines } from '../output/model-coverage.js';
import { terminalProgress } from '../output/progress.js';
import { renderTable } from '../output/table.js';
import { openStore, STORE_HELP, storeRoot } from '../wiring.js';

interface IngestOptions {
  engine: 'duckdb' | 'athena';
  database?: string;
  table?: string;
  workgroup?: string;
  outputLocation?: string;
  store?: string;
  config?: string;
  force?: boolean;
  acceptShrink?: boolean;
  format: 'table' | 'json';
  threads?: string;
}

export function ingestCommand(): Command {
  return new Command('ingest')
    .summary(
      'ingest CUR deliveries (export root, manifest, file, folder or s3://) into reconciled daily facts',
    )
    .description(
      'Ingest CUR deliveries into daily Bedrock facts.\n\n' +
        'Each PATH may be an export root as AWS lays it out (CUR 2.0 <export>/data/… + <export>/metadata/…, or\n' +
        'legacy <report>/<yyyymmdd-yyyymmdd>/…), a manifest (…-Manifest.json), one data file (.parquet, .csv,\n' +
        '.csv.gz) or a folder of data files. Every billing period found is read through its manifest, its\n' +
        'facts reconciled against the Bedrock line items (to 1e-6 USD) and its snapshot replaced atomically.\n' +
        'A delivery already ingested with the same content is reported "unchanged" and skipped.\n\n' +
        'Nothing is lost or counted twice: a delivery whose data is of another billing period than its manifest,\n' +
        'that lists a file twice, has line items dated outside their period (other than credits and refunds) or\n' +
        'holds accounts another export already stored for the period fails and writes nothing. A delivery that\n' +
        "would shrink a stored period's Bedrock cost to nothing, or by more than ingest.hold_shrink_share (default\n" +
        '50%), is held: reported with both totals, applied with --accept-shrink.',
    )
    .argument('<paths...>', 'export roots, manifests, data files or folders')
    .option('--store <dir|s3://bucket/prefix>', STORE_HELP)
    .option('--config <file>', 'YAML config (attribution tag keys, accounts, …); defaults apply without it')
    .option('--force', 're-ingest deliveries the ledger has already seen')
    .option(
      '--accept-shrink',
      "apply deliveries that shrink a stored period's Bedrock cost past ingest.hold_shrink_share (held otherwise)",
    )
    .option('--threads <n>', 'DuckDB threads (default 2)')
    .addOption(
      new Option(
        '--engine <engine>',
        'stage-1 engine: DuckDB on downloaded files, or Athena on the CUR Glue table',
      )
        .choices(['duckdb', 'athena'])
        .default('duckdb'),
    )
    .option('--database <name>', 'with --engine athena: Glue database of the CUR table')
    .option('--table <name>', 'with --engine athena: the CUR table (partitioned by billing period)')
    .option('--workgroup <name>', 'with --engine athena: Athena workgroup')
    .option(
      '--output-location <s3://bucket/prefix>',
      'with --engine athena: query results, unless the workgroup sets it',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (paths: string[], options: IngestOptions) => {
      process.exitCode = await runIngest(paths, options);
    });
}

async function runIngest(paths: readonly string[], options: IngestOptions): Promise<number> {
  const config = await loadConfig(options.config);
  const catalog = await cliModelCatalog(config);
  const root = storeRoot(options.store);
  const { store, ledger } = await openStore(root);
  const threads = options.threads ? Number(options.threads) : undefined;
  const engine = duckDbStage1Engine(threads);
  const athena = options.engine === 'athena' ? await athenaEngines(options) : null;
  const progress = terminalProgress();
  const reports: IngestReport[] = [];
  const failures: { input: string; error: string }[] = [];

  const ingest: IngestOnceDeps['ingest'] = {
    store,
    ledger,
    config,
    catalog,
    clock: () => new Date(),
    force: options.force ?? false,
    acceptShrink: options.acceptShrink ?? false,
  };
  const engineFor = (delivery: Delivery): EngineChoice => {
    if (!athena) return { engine, readsFiles: true };
    // Athena reads the period's partition of the CUR table itself: nothing is downloaded.
    if (!delivery.billingPeriod) {
      throw new Error(
        `${delivery.objectKey}: --engine athena needs a manifest that names its billing period`,
      );
    }
    return { engine: athena.forPeriod(delivery.billingPeriod), readsFiles: false };
  };

  for (const input of paths) {
    let source: DeliverySource;
    try {
      source = await openDeliveries(input);
    } catch (error) {
      failures.push({ input, error: describeError(error) });
      continue;
    }
    try {
      for (const [index, delivery] of source.deliveries.entries()) {
        const prefix = `[${index + 1}/${source.deliveries.length}] ${delivery.exportName}${delivery.billingPeriod ? ` ${delivery.billingPeriod}` : ''}`;
        const handle: DeliveryHandle = {
          delivery,
          fetch: () => source.prepare(delivery),
          dispose: () => source.release(delivery),
        };
        try {
          reports.push(
            await ingestOnce(handle, {
              ingest,
              engineFor,
              leaseMs: INGEST_LEASE_MS,
              onProgress: (message) => progress.update(`${prefix}: ${message}`),
            }),
          );
        } catch (error) {
          failures.push({ input: delivery.objectKey, error: describeError(error) });
        } finally {
          progress.done();
          await handle.dispose();
        }
      }
    } finally {
      await source.close();
    }
  }

  if (options.format === 'json') {
    printJson({ store: store.location, deliveries: reports.map(reportJson), failures });
  } else {
    printSummary(reports, failures, store.location);
  }
  return failures.length > 0 || reports.some((r) => r.status === 'held') ? 1 : 0;
}

async function athenaEngines(options: IngestOptions) {
  const missing = (['database', 'table', 'workgroup'] as const).filter((k) => !options[k]);
  if (missing.length > 0) {
    throw new Error(`--engine athena needs ${missing.map((k) => `--${k}`).join(', ')}`);
  }
  const [{ AthenaClient }, { athenaStage1EngineFactory }] = await Promise.all([
    import('@aws-sdk/client-athena'),
    import('../../adapters/athena/athena-engine.js'),
  ]);
  return athenaStage1EngineFactory({
    client: new AthenaClient({}),
    database: options.database!,
    table: options.table!,
    workgroup: options.workgroup!,
    ...(options.outputLocation ? { outputLocation: options.outputLocation } : {}),
  });
}

/** Without a claim store (a local run) the lease is never taken; it only bounds a claim if one were. */
const INGEST_LEASE_MS = 15 * 60_000;

/** Deliveries of one input, with the download steps an S3 input needs (no-ops for local paths). */
interface DeliverySource {
  deliveries: Delivery[];
  prepare(delivery: Delivery): Promise<void>;
  release(delivery: Delivery): Promise<void>;
  close(): Promise<void>;
}

async function openDeliveries(input: string): Promise<DeliverySource> {
  if (input.startsWith('s3://')) {
    const [{ discoverS3Deliveries }, { s3Client }] = await Promise.all([
      import('../../adapters/s3/discover-deliveries.js'),
      import('../../adapters/s3/s3-location.js'),
    ]);
    const discovery = await discoverS3Deliveries(input, { client: s3Client(), download: 'lazy' });
    return {
      deliveries: discovery.deliveries,
      prepare: (d) => discovery.download(d),
      release: (d) => discovery.release(d),
      close: () => discovery.cleanup(),
    };
  }
  const deliveries = await discoverLocalDeliveries(input);
  const nothing = async () => {};
  return { deliveries, prepare: nothing, release: nothing, close: nothing };
}

/** What one ingest read and wrote, in `--format json` output (ingest and backfill alike). */
export function ingestFiguresJson(report: IngestReport) {
  return {
    format: report.format,
    rows_read: report.rowsRead,
    bedrock_line_items: report.bedrockLineItems,
    groups: report.groups,
    facts: report.facts,
    cost_unblended: formatMoney(report.cost),
    model_coverage: coverageJson(report.coverage),
  };
}

function reportJson(report: IngestReport) {
  return {
    object_key: report.objectKey,
    export: report.exportName,
    status: report.status,
    ...ingestFiguresJson(report),
    periods: report.periods.map((p) => ({
      billing_period: p.billingPeriod,
      facts: p.facts,
      groups: p.groups,
      input_cost: formatMoney(p.reconciliation.inputCost),
      fact_cost: formatMoney(p.reconciliation.factCost),
      difference: formatMoney(p.reconciliation.difference),
      input_line_items: p.reconciliation.inputLineItems,
      fact_line_items: p.reconciliation.factLineItems,
      reconciled: p.reconciliation.ok,
    })),
    empty_files: report.emptyFiles,
    warnings: report.warnings,
    held: report.held.map((h) => ({
      billing_period: h.billingPeriod,
      stored_cost: formatMoney(h.storedCost),
      stored_facts: h.storedFacts,
      delivered_cost: formatMoney(h.deliveredCost),
      delivered_facts: h.deliveredFacts,
      message: describeShrink(report.exportName, h),
    })),
  };
}

/** The columns of one ingested billing period in the summary tables of `ingest` and `backfill`. */
export const PERIOD_FIGURE_HEADERS = ['bedrock lines', 'groups', 'facts', 'bedrock cost', 'reconciled'];

/** One ingested billing period's figures, in the order of `PERIOD_FIGURE_HEADERS`. */
export function periodFigureCells(p: IngestReport['periods'][number]): string[] {
  return [
    p.reconciliation.inputLineItems.toLocaleString('en-US'),
    p.groups.toLocaleString('en-US'),
    p.facts.toLocaleString('en-US'),
    formatUsd(p.reconciliation.factCost),
    p.reconciliation.ok ? `ok (diff ${formatMoney(p.reconciliation.difference)})` : 'MISMATCH',
  ];
}

function printSummary(
  reports: readonly IngestReport[],
  failures: readonly { input: string; error: string }[],
  location: string,
): void {
  const out: string[] = [];
  const rows = reports.flatMap((r) =>
    (r.periods.length > 0 ? r.periods : [null]).map((p, i) => [
      i === 0 ? r.exportName : '',
      p?.billingPeriod ?? '-',
      r.status,
      i === 0 && r.status === 'ingested' ? r.rowsRead.toLocaleString('en-US') : '',
      ...(r.status === 'ingested' && p ? periodFigureCells(p) : PERIOD_FIGURE_HEADERS.map(() => '')),
    ]),
  );
  if (rows.length > 0) {
    out.push(
      renderTable(
        ['export', 'period', 'status', 'rows read', ...PERIOD_FIGURE_HEADERS],
        rows,
        [3, 4, 5, 6, 7],
      ),
    );
  }
  const ingested = reports.filter((r) => r.status === 'ingested');
  const total = sumMoney(ingested.map((r) => r.cost));
  out.push(
    '',
    `${ingested.length} delivery(ies) ingested, ${reports.filter((r) => r.status === 'unchanged').length} unchanged, ` +
      `${reports.filter((r) => r.status === 'held').length} held, ${failures.length} failed; ` +
      `facts in ${location}`,
  );
  if (ingested.length > 0) {
    out.push(
      `Bedrock cost ingested: ${formatUsd(total)} (exact ${formatMoney(total)} USD), reconciled with the line items to 1e-6 USD`,
      ...coverageLines(ingested.map((r) => r.coverage)),
    );
  }
  for (const r of reports) {
    for (const file of r.emptyFiles) out.push(`note: ${file}: empty chunk (zero bytes) skipped`);
    for (const w of r.warnings) out.push(`warning: ${r.exportName}: ${w}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  for (const r of reports) {
    for (const h of r.held) {
      process.stderr.write(
        `held: ${r.objectKey}: ${describeShrink(r.exportName, h)}; nothing was written. ` +
          'If the smaller delivery is right, apply it with: bedrock-cost ingest … --accept-shrink\n',
      );
    }
  }
  for (const f of failures) process.stderr.write(`error: ${f.error}\n`);
}
