import { Command, Option } from 'commander';
import type { DailyFact } from '../../core/facts/daily-fact.js';
import { FACT_COLUMNS, GROUPABLE_COLUMNS } from '../../core/facts/fact-schema.js';
import { modelCoverage } from '../../core/facts/model-coverage.js';
import { summarizeFacts } from '../../core/facts/summarize.js';
import {
  formatMoney,
  formatQuantity,
  formatUsd,
  type Money,
  type Quantity,
  sumMoney,
} from '../../core/money.js';
import { toCsv } from '../../core/report/csv.js';
import { checkDayOptions } from '../options.js';
import { printJson } from '../output/format-option.js';
import { renderTable } from '../output/table.js';
import { openExistingStore, STORE_HELP, storeRoot } from '../wiring.js';

interface FactsOptions {
  store?: string;
  from?: string;
  to?: string;
  by?: string;
  format: 'table' | 'json' | 'csv';
}

export function factsCommand(): Command {
  return new Command('facts')
    .summary('query the stored daily Bedrock facts (table, json, csv; --by columns)')
    .description(
      'Query the stored daily Bedrock facts.\n\n' +
        'Without --by, json and csv print one record per fact with the DESIGN §5 columns (costs as exact\n' +
        'decimal strings); the table sums by workload and model. With --by, rows are summed by those columns.\n' +
        `Columns for --by: ${GROUPABLE_COLUMNS.join(', ')}`,
    )
    .option('--store <dir|s3://bucket/prefix>', STORE_HELP)
    .option('--from <YYYY-MM-DD>', 'first usage day (inclusive)')
    .option('--to <YYYY-MM-DD>', 'last usage day (inclusive)')
    .option('--by <columns>', 'comma-separated columns to sum by, e.g. workload,model')
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    )
    .action(async (options: FactsOptions) => {
      checkDayOptions({ '--from': options.from, '--to': options.to });
      const by = options.by
        ?.split(',')
        .map((c) => c.trim())
        .filter(Boolean);
      if (by !== undefined && by.length === 0)
        throw new Error(`--by must name at least one column, got "${options.by}"`);
      const { store } = await openExistingStore(storeRoot(options.store));
      const facts = await store.read({
        ...(options.from ? { from: options.from } : {}),
        ...(options.to ? { to: options.to } : {}),
      });
      printFacts(facts, by, options.format);
    });
}

function printFacts(
  facts: readonly DailyFact[],
  by: string[] | undefined,
  format: FactsOptions['format'],
): void {
  if (!by && format !== 'table') {
    const headers = FACT_COLUMNS.map((c) => c.name);
    const records = facts.map((f) => FACT_COLUMNS.map((c) => cellText(f, c.field, c.kind)));
    if (format === 'csv') process.stdout.write(toCsv(headers, records));
    else
      printJson(
        records.map((r) =>
          Object.fromEntries(headers.map((h, i) => [h, jsonValue(r[i]!, FACT_COLUMNS[i]!.kind)])),
        ),
      );
    return;
  }
  const columns = by ?? ['workload', 'model'];
  const rows = summarizeFacts(facts, columns);
  const headers = [...columns, 'cost_unblended', 'cost_net', 'tokens', 'line_items', 'facts'];
  const cells = rows.map((r) => [
    ...columns.map((c) => r.keys[c] ?? ''),
    format === 'table' ? formatUsd(r.costUnblended) : formatMoney(r.costUnblended),
    format === 'table' ? formatUsd(r.costNet) : formatMoney(r.costNet),
    format === 'table' ? r.tokens.toLocaleString('en-US') : String(r.tokens),
    String(r.lineItems),
    String(r.facts),
  ]);
  if (format === 'csv') {
    process.stdout.write(toCsv(headers, cells));
  } else if (format === 'json') {
    printJson(
      rows.map((r) => ({
        ...r.keys,
        cost_unblended: formatMoney(r.costUnblended),
        cost_net: formatMoney(r.costNet),
        tokens: r.tokens,
        line_items: r.lineItems,
        facts: r.facts,
      })),
    );
  } else {
    const total = sumMoney(facts.map((f) => f.costUnblended));
    const numeric = headers.map((_, i) => i).filter((i) => i >= columns.length);
    const { unknown } = modelCoverage(facts);
    const unknownNote =
      unknown.models.length > 0
        ? `\n${unknown.models.length} unknown model(s), ${formatUsd(unknown.cost)}: ${unknown.models.join(', ')} ` +
          '(no catalog entry and no vendor family word; add an alias under models: in the config)'
        : '';
    process.stdout.write(
      `${renderTable(headers, cells, numeric)}\n\n${facts.length} fact(s), total ${formatUsd(total)} (exact ${formatMoney(total)} USD)${unknownNote}\n`,
    );
  }
}

function cellText(fact: DailyFact, field: keyof DailyFact, kind: string): string {
  const value = fact[field];
  if (kind === 'money') return formatMoney(value as Money);
  if (kind === 'quantity') return formatQuantity(value as Quantity);
  return String(value);
}

function jsonValue(text: string, kind: string): string | number {
  return kind === 'int' || kind === 'bigint' ? Number(text) : text;
}
