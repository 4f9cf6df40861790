import { Command, Option } from 'commander';
import { writeCatalogOverlay } from '../../adapters/catalog/overlay-source.js';
import { loadConfig } from '../../config/load.js';
import { loadModelCatalog } from '../../config/model-catalog.js';
import {
  BEDROCK_SERVICE_CODES,
  learnFromPriceList,
  PRICING_API_REGIONS,
} from '../../core/catalog/price-list.js';
import { ConfigError } from '../../core/errors.js';
import { readOverlay } from '../catalog-loader.js';
import { printJson } from '../output/format-option.js';
import { renderTable } from '../output/table.js';

interface UpdateOptions {
  config?: string;
  out?: string;
  region: string;
  endpoint?: string;
  serviceCode: string[];
  pageSize: string;
  dryRun?: boolean;
  format: 'table' | 'json';
}

export function catalogCommand(): Command {
  const catalog = new Command('catalog').description(
    'The model catalog: the bundled catalog/models.json, the catalog.overlay file and the config `models:`.',
  );
  catalog
    .command('update')
    .description(
      'Refresh the catalog from the AWS Price List Query API: read every Amazon Bedrock product (GetProducts,\n' +
        'paginated, for AmazonBedrock, AmazonBedrockFoundationModels and AmazonBedrockService), learn the models\n' +
        'and usage-type spellings the catalog does not resolve, and write them to the overlay file\n' +
        '(catalog.overlay, in the schema of catalog/models.json) that ingest merges over the bundled catalog.\n' +
        'Needs pricing:GetProducts. Prints what it learned.',
    )
    .option('--config <file>', 'config file (its catalog.overlay is the file written)')
    .option('--out <file>', 'overlay file to write (default: catalog.overlay from the config)')
    .addOption(
      new Option('--region <region>', 'Price List API region')
        .choices([...PRICING_API_REGIONS])
        .default('us-east-1'),
    )
    .option('--endpoint <url>', 'another Price List endpoint (a proxy, or a test server)')
    .option(
      '--service-code <code>',
      'service code to read (repeatable)',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option('--page-size <n>', 'GetProducts MaxResults (1-100)', '100')
    .option('--dry-run', 'report what would be learned; write nothing')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  bedrock-cost catalog update --config bedrock-cost.yaml            # writes catalog.overlay\n' +
        '  bedrock-cost catalog update --out catalog-overlay.json --dry-run --format json\n' +
        '\nThen point catalog.overlay at the file (a local path or s3://bucket/key) so ingest, watch, backfill\n' +
        'and the Lambda functions classify with it. Re-running keeps what earlier runs learned.\n',
    )
    .action(async (options: UpdateOptions) => {
      process.exitCode = await runUpdate(options);
    });
  return catalog;
}

async function runUpdate(options: UpdateOptions): Promise<number> {
  const config = await loadConfig(options.config);
  const out = options.out ?? config.catalog.overlay;
  if (!out && !options.dryRun) {
    throw new ConfigError(
      'catalog update needs a file to write: --out <file>, or catalog.overlay in the config (or --dry-run)',
    );
  }
  const pageSize = Number(options.pageSize);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
    throw new ConfigError(`--page-size must be an integer from 1 to 100, got "${options.pageSize}"`);
  }
  const previous = await readOverlay(out);
  // The Pricing SDK is loaded only here, not by every command that loads the catalog.
  const { readPriceList } = await import('../../adapters/pricing/price-list-source.js');
  const read = await readPriceList({
    serviceCodes: options.serviceCode?.length ? options.serviceCode : BEDROCK_SERVICE_CODES,
    region: options.region,
    pageSize,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
  const learning = learnFromPriceList(read.products, loadModelCatalog(config), previous);
  const written = out && !options.dryRun ? await writeCatalogOverlay(out, learning.overlay) : null;

  if (options.format === 'json') {
    printJson({
      products: learning.productsRead,
      pages: read.pages,
      usage_types: learning.usageTypes,
      learned: learning.learned.map((l) => ({
        id: l.id,
        kind: l.kind,
        from: l.from,
        service_code: l.serviceCode,
        usage_types: l.usageTypes,
      })),
      new_usage_types: learning.newUsageTypes,
      overlay: { path: written, models: learning.overlay.length, written: written !== null },
    });
    return 0;
  }
  const lines = [
    `Read ${learning.productsRead} product(s): ${Object.entries(read.pages)
      .map(([code, pages]) => `${code} ${pages} page(s), ${learning.usageTypes[code] ?? 0} usage type(s)`)
      .join('; ')}`,
  ];
  if (learning.learned.length === 0)
    lines.push('Nothing new: the catalog resolves every model the Price List names.');
  else {
    lines.push(
      `Learned ${learning.learned.length} model(s) from ${learning.newUsageTypes.length} usage type(s):`,
      '',
      renderTable(
        ['model', 'learned', 'from', 'service code', 'usage types'],
        learning.learned.map((l) => [l.id, l.kind, l.from, l.serviceCode, l.usageTypes.join(' ')]),
      ),
    );
  }
  lines.push(
    '',
    written
      ? `Overlay ${written}: ${learning.overlay.length} model(s)${options.config || config.catalog.overlay ? '' : ' (set catalog.overlay to it)'}`
      : 'Dry run: nothing written.',
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
