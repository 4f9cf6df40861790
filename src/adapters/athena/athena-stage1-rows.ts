import type { PeriodTotal } from '../../core/facts/reconcile.js';
import { MONEY_SCALE, type Money, parseMoney, parseQuantity } from '../../core/money.js';
import type { Stage1Row } from '../../core/normalize/stage1-row.js';
import { ATHENA_STAGE1_COLUMNS, type AthenaStage1Column } from '../cur-sql/athena-dialect.js';
import { STAGE1_COLUMNS, stage1RowConverter } from '../cur-sql/stage1-columns.js';

export interface AthenaStage1Rows {
  rows: Stage1Row[];
  totals: PeriodTotal[];
  /** COUNT(*) of the period's partition, every service included (as DuckDB counts a file's rows). */
  rowsRead: number;
  /** Newest line_item_usage_end_date of the partition, `YYYY-MM-DDTHH:MM:SSZ` as DuckDB writes it. */
  newestUsageEnd: string | null;
}

type TextRow = Readonly<Record<AthenaStage1Column, string | null>>;

/**
 * Splits the stage-1 statement's result (see athenaStage1Sql) by `row_kind` and converts it exactly as
 * the DuckDB engine does. Decimals are rewritten to the DuckDB text of a DECIMAL(38,15)
 * (`12500.000000000000000`), whatever scale Athena prints, so rows from both engines compare equal.
 */
export function toAthenaStage1Rows(
  columns: readonly string[],
  rows: readonly (readonly (string | null)[])[],
): AthenaStage1Rows {
  const missing = ATHENA_STAGE1_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) throw new Error(`Athena stage-1 result lacks column(s) ${missing.join(', ')}`);
  const index = ATHENA_STAGE1_COLUMNS.map((name) => [name, columns.indexOf(name)] as const);
  const stage1Index = STAGE1_COLUMNS.map((c) => columns.indexOf(c.name));
  // Decimals as DuckDB prints them; each distinct tag-pair text parsed once, as on DuckDB.
  const toStage1Row = stage1RowConverter({ decimal: decimalText });
  const out: AthenaStage1Rows = { rows: [], totals: [], rowsRead: 0, newestUsageEnd: null };
  for (const row of rows) {
    const r = Object.fromEntries(index.map(([name, i]) => [name, row[i] ?? null])) as TextRow;
    switch (r.row_kind) {
      case 'group':
        out.rows.push(toStage1Row(stage1Index.map((i) => row[i] ?? null)));
        break;
      // A period without Bedrock lines yields no total row, only the partition row.
      case 'total':
        out.totals.push(toPeriodTotal(r));
        break;
      case 'partition':
        out.rowsRead = Number(r.rows_read ?? '0');
        out.newestUsageEnd = isoSeconds(r.newest_usage_end);
        break;
      default:
        throw new Error(`Athena stage-1 result has an unknown row_kind "${r.row_kind}"`);
    }
  }
  out.totals.sort((a, b) => (a.billingPeriod < b.billingPeriod ? -1 : 1));
  return out;
}

function toPeriodTotal(r: TextRow): PeriodTotal {
  return {
    billingPeriod: r.billing_period as string,
    costUnblended: parseMoney(r.cost_unblended ?? '0') as Money,
    costNet: parseMoney(r.cost_net ?? '0') as Money,
    lineItems: Number(r.line_items ?? '0'),
  };
}

/**
 * `2026-06-03 01:00:00.000` (Trino) or `2026-06-03 01:00:00` (DuckDB) as `2026-06-03T01:00:00Z`;
 * fractional seconds are cut, as DuckDB's strftime('%S') does.
 */
export function isoSeconds(text: string | null): string | null {
  if (!text) return null;
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})/.exec(text);
  if (!match) throw new Error(`Athena returned an unreadable timestamp "${text}"`);
  return `${match[1]}T${match[2]}Z`;
}

/** A decimal as DuckDB prints a DECIMAL(38,15): sign, integer digits, all 15 fractional digits. */
export function decimalText(text: string | null): string {
  const scaled = parseQuantity(text ?? '0') as bigint;
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(MONEY_SCALE + 1, '0');
  const whole = digits.slice(0, -MONEY_SCALE);
  return `${negative ? '-' : ''}${whole}.${digits.slice(-MONEY_SCALE)}`;
}
