import { FACT_COLUMNS, type FactColumnKind } from '../../src/core/facts/fact-schema.js';

/** The Hive partition folder of the fact dataset (`facts/billing_period=YYYY-MM/<export>.parquet`). */
export const PARTITION_COLUMN = 'billing_period';

export interface GlueColumn {
  name: string;
  type: string;
}

/** Glue/Athena type of a fact column: the same exact DECIMAL(38,15) the Parquet files are written with. */
export function glueType(kind: FactColumnKind): string {
  switch (kind) {
    case 'money':
    case 'quantity':
      return 'decimal(38,15)';
    case 'bigint':
      return 'bigint';
    case 'int':
      return 'int';
    default:
      return 'string';
  }
}

/**
 * Data columns of the Glue table, derived from the code's own fact schema so the table cannot drift from
 * the files. The partition column is left out: Hive tables may not declare it twice, and Athena reads its
 * value from the folder name (the files also carry it, which is harmless).
 */
export function factDataColumns(): GlueColumn[] {
  return FACT_COLUMNS.filter((c) => c.name !== PARTITION_COLUMN).map((c) => ({
    name: c.name,
    type: glueType(c.kind),
  }));
}
