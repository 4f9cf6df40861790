import { Command, Option } from 'commander';
import { readCatalogFile } from '../../config/catalog-file.js';
import { loadConfig } from '../../config/load.js';
import { BUNDLED_CATALOG_PATH } from '../../config/model-catalog.js';
import { cliModelCatalog } from '../catalog-loader.js';
import { printJson } from '../output/format-option.js';

export function configCommand(): Command {
  const config = new Command('config')
    .summary('validate a configuration file')
    .description('Work with the YAML configuration file.');
  config
    .command('validate')
    .description(
      'Validate a config file: YAML syntax, every key against the schema (a typo names its path and the\n' +
        'allowed keys), value ranges, the bundled model catalog and its extensions. Exits 0 when valid, 2 when not.',
    )
    .argument('<file>', 'the YAML config file')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (file: string, options: { format: 'text' | 'json' }) => {
      try {
        const parsed = await loadConfig(file);
        // Other commands trust the bundled catalog as shipped; validation checks it against its schema too.
        readCatalogFile(BUNDLED_CATALOG_PATH);
        const catalog = await cliModelCatalog(parsed);
        const summary = {
          file,
          valid: true,
          accounts: Object.keys(parsed.accounts).length,
          tag_keys: parsed.attribution.tag_keys,
          precedence: parsed.attribution.precedence,
          models: catalog.models.length,
        };
        if (options.format === 'json') printJson(summary);
        else
          process.stdout.write(
            `${file}: valid (${summary.accounts} account(s), ${summary.models} model(s) in the catalog, precedence ${summary.precedence.join(' > ')})\n`,
          );
      } catch (error) {
        if (options.format === 'json') printJson({ file, valid: false, error: (error as Error).message });
        else process.stderr.write(`${(error as Error).message}\n`);
        process.exitCode = 2;
      }
    });
  return config;
}
