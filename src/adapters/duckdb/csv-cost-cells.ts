import { InputError } from '../../core/errors.js';
import { athenaColumnName } from '../cur-sql/csv-columns.js';
import { FIRST_PARTY_PRODUCT_CODES } from './bedrock-scan.js';
import { type DuckDb, sqlIdentifier, sqlString } from './duckdb.js';

const COLUMNS = {
  entity: 'bill_billing_entity',
  productCode: 'line_item_product_code',
  productName: 'product_product_name',
  cost: 'line_item_unblended_cost',
} as const;

/**
 * A Bedrock line item of a CSV whose unblended cost cell is empty would be read as $0 and its spend lost, while
 * still reconciling (both sides read the same empty cell). CUR always writes a cost, so an empty one is a damaged
 * file. `emptyCostCellSql` counts such lines inside the one pass that reads every row of a legacy CSV (no CSV parse of
 * its own); when it counted any, `reportEmptyCostCells` finds them and names the file, its data row
 * (1 = the first row after the header) and the column.
 *
 * The condition over `columns` (the CUR's snake_case columns, empty cells NULL), or null when a column it reads is
 * missing (the required-column check names it).
 */
export function emptyCostCellSql(columns: ReadonlyMap<string, string>): string | null {
  if (
    ![COLUMNS.entity, COLUMNS.productCode, COLUMNS.productName, COLUMNS.cost].every((c) => columns.has(c))
  ) {
    return null;
  }
  return `(${bedrockPredicate(COLUMNS)}) AND ${COLUMNS.cost} IS NULL`;
}

/** Throws an InputError naming the first empty cost cells of Bedrock lines, file by file (see `emptyCostCellSql`). */
export async function reportEmptyCostCells(
  db: DuckDb,
  files: readonly { path: string; label: string }[],
): Promise<void> {
  for (const file of files) {
    const reader = `read_csv(${sqlString(file.path)}, header = true, all_varchar = true, auto_detect = true, parallel = false)`;
    const headers = (await db.rows<{ column_name: string }>(`DESCRIBE SELECT * FROM ${reader}`)).map(
      (r) => r.column_name,
    );
    const header = (name: string) => headers.find((h) => athenaColumnName(h) === name);
    const cost = header(COLUMNS.cost);
    const entity = header(COLUMNS.entity);
    const code = header(COLUMNS.productCode);
    if (!cost || !entity || !code) continue;
    const name = header(COLUMNS.productName);
    const bedrock = bedrockPredicate({
      entity: sqlIdentifier(entity),
      productCode: sqlIdentifier(code),
      productName: name ? sqlIdentifier(name) : null,
    });
    const rows = await db.rows<{ n: bigint; total: bigint }>(
      `SELECT n, COUNT(*) OVER () AS total FROM (SELECT row_number() OVER () AS n, * FROM ${reader})
       WHERE (${bedrock}) AND NULLIF(trim(${sqlIdentifier(cost)}), '') IS NULL ORDER BY n LIMIT 5`,
    );
    if (rows.length === 0) continue;
    const total = Number(rows[0]!.total);
    const list = rows.map((r) => String(r.n)).join(', ');
    throw new InputError(
      `${file.label}: data row${total > 1 ? 's' : ''} ${list}${total > rows.length ? ` (and ${total - rows.length} more)` : ''}: ` +
        `column ${cost} is empty on a Bedrock line item; expected a cost (a number). The file is damaged or was edited; nothing was written`,
    );
  }
}

/** The Bedrock line-item filter of sql/legacy/bedrock_lines.sql over the given column expressions. */
function bedrockPredicate(c: { entity: string; productCode: string; productName: string | null }): string {
  const firstParty = `(${c.entity} = 'AWS' AND ${c.productCode} IN (${FIRST_PARTY_PRODUCT_CODES.map(sqlString).join(', ')}))`;
  return c.productName
    ? `${firstParty} OR (${c.entity} = 'AWS Marketplace' AND ${c.productName} LIKE '%Bedrock%')`
    : firstParty;
}
