import type { DailyFact } from '../../core/facts/daily-fact.js';
import { FACT_COLUMNS, type FactColumn, type FactColumnKind } from '../../core/facts/fact-schema.js';
import {
  formatMoneyFixed,
  formatQuantity,
  type Money,
  parseMoney,
  parseQuantity,
  type Quantity,
} from '../../core/money.js';

export { FACT_COLUMNS };

/** Stored type: money and usage as exact DECIMAL(38,15), never DOUBLE. */
export function storedType(kind: FactColumnKind): string {
  switch (kind) {
    case 'money':
    case 'quantity':
      return 'DECIMAL(38, 15)';
    case 'bigint':
      return 'BIGINT';
    case 'int':
      return 'INTEGER';
    default:
      return 'VARCHAR';
  }
}

/** A fact's column value as exact text (money with all 15 decimals). */
export function columnText(fact: DailyFact, column: FactColumn): string {
  const value = fact[column.field];
  if (column.kind === 'money') return formatMoneyFixed(value as Money);
  if (column.kind === 'quantity') return formatQuantity(value as Quantity);
  return String(value);
}

/** Rebuilds a fact from a JSON row: text and int columns as JSON values, money, usage and tokens as decimal text. */
export function factFromJson(row: Readonly<Record<string, string | number | null>>): DailyFact {
  const fact: Record<string, unknown> = {};
  for (const column of FACT_COLUMNS) {
    const text = String(row[column.name] ?? '');
    fact[column.field] =
      column.kind === 'money'
        ? parseMoney(text || '0')
        : column.kind === 'quantity'
          ? parseQuantity(text || '0')
          : column.kind === 'int' || column.kind === 'bigint'
            ? Number(text || '0')
            : text;
  }
  return fact as unknown as DailyFact;
}
