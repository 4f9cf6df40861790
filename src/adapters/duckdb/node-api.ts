import { createRequire } from 'node:module';
import type * as NodeApi from '@duckdb/node-api';

/**
 * The DuckDB client, loaded with `require`: it is CommonJS, and an ESM `import` of it has Node scan every one of
 * its hundred-odd re-exported files for named exports first (measured: 0.66 s of CPU for the import against
 * 0.33 s required, on a busy 2-core machine), paid by every command at start-up. The values used at run time are
 * re-exported here with their types; everything else imports `type`s from '@duckdb/node-api' directly.
 */
const api = createRequire(import.meta.url)('@duckdb/node-api') as typeof NodeApi;

export const DuckDBInstance = api.DuckDBInstance;
export type DuckDBInstance = NodeApi.DuckDBInstance;
export const DuckDBDecimal128Vector = api.DuckDBDecimal128Vector;
export type DuckDBDecimal128Vector = NodeApi.DuckDBDecimal128Vector;
export const DuckDBDoubleVector = api.DuckDBDoubleVector;
export type DuckDBDoubleVector = NodeApi.DuckDBDoubleVector;
export const DuckDBIntegerVector = api.DuckDBIntegerVector;
export type DuckDBIntegerVector = NodeApi.DuckDBIntegerVector;
