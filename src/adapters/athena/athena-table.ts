import { type AthenaClient, GetTableMetadataCommand } from '@aws-sdk/client-athena';
import { InputError } from '../../core/errors.js';
import { athenaIdentifier } from '../cur-sql/athena-dialect.js';
import { DEFAULT_CATALOG } from './athena-query.js';

export interface AthenaTableName {
  catalog?: string;
  database: string;
  table: string;
}

/**
 * The CUR table's columns and partition keys with upper-cased Hive types (`MAP<STRING,STRING>`), the
 * shape format detection and the line projection expect. GetTableMetadata reads the catalog without
 * running a query, so schema discovery scans (and bills) nothing.
 */
export async function describeAthenaTable(
  client: AthenaClient,
  name: AthenaTableName,
): Promise<Map<string, string>> {
  athenaIdentifier(name.database, 'database');
  athenaIdentifier(name.table, 'table');
  const { TableMetadata: metadata } = await client.send(
    new GetTableMetadataCommand({
      CatalogName: name.catalog ?? DEFAULT_CATALOG,
      DatabaseName: name.database,
      TableName: name.table,
    }),
  );
  const columns = [...(metadata?.Columns ?? []), ...(metadata?.PartitionKeys ?? [])];
  if (columns.length === 0) {
    throw new InputError(`athena://${name.database}.${name.table}: the table has no columns`);
  }
  // Glue stores names in lower case; CUR column names are lower case too.
  return new Map(columns.map((c) => [(c.Name ?? '').toLowerCase(), (c.Type ?? '').toUpperCase()]));
}
