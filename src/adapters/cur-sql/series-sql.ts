import { UNALLOCATED } from '../../core/facts/daily-fact.js';
import {
  CAPACITY_TIERS,
  COMMITMENT_USAGE_KINDS,
  FEE_LINE_ITEM_TYPES,
  INPUT_SIDE_USAGE_KINDS,
  TOKEN_USAGE_KINDS,
  USAGE_LINE_ITEM_TYPES,
} from '../../core/facts/fact-filters.js';
import type { SeriesGrainName } from '../../core/rules/rule-series.js';
import { fillTemplate, loadSql } from './sql-files.js';

/** The rule-series statements in `sql/series/`: one per grain, plus coverage and the commitment-fee condition. */
export type SeriesStatement = SeriesGrainName | 'coverage' | 'commitment_fees';

function quoted(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function list(values: Iterable<string>): string {
  return [...values].map(quoted).join(', ');
}

/** The billing period one month before / after a day's: facts of a day may sit in a neighbouring period. */
function periodAround(day: string, months: -1 | 1): string {
  const date = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString().slice(0, 7);
}

/**
 * A rule-series statement over `facts` (a relation: DuckDB's read_parquet(…) or Athena's Glue fact table) for the
 * usage days `from`…`to`. The usage-kind, tier and line-item-type lists come from the rules' own filters, so a
 * kind added there is counted the same way here. The same text runs on DuckDB and Athena.
 */
export function seriesSql(
  statement: SeriesStatement,
  facts: string,
  window: { from: string; to: string },
): string {
  return fillTemplate(loadSql(`series/${statement}.sql`), {
    facts,
    from: quoted(window.from),
    to: quoted(window.to),
    from_period: quoted(periodAround(window.from, -1)),
    to_period: quoted(periodAround(window.to, 1)),
    usage_line_item_types: list(USAGE_LINE_ITEM_TYPES),
    charge_line_item_types: list([...USAGE_LINE_ITEM_TYPES, ...FEE_LINE_ITEM_TYPES]),
    commitment_usage_kinds: list(COMMITMENT_USAGE_KINDS),
    token_usage_kinds: list(TOKEN_USAGE_KINDS),
    input_side_usage_kinds: list(INPUT_SIDE_USAGE_KINDS),
    capacity_tiers: list(CAPACITY_TIERS),
    unallocated: quoted(UNALLOCATED),
  });
}
