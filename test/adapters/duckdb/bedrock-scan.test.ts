import { describe, expect, it } from 'vitest';
import { DUCKDB_PRODUCT_FIELDS } from '../../../src/adapters/cur-sql/line-projection.js';
import { loadSql } from '../../../src/adapters/cur-sql/sql-files.js';
import {
  CUR2_FIRST_PARTY_PREDICATE,
  CUR2_MARKETPLACE_PREDICATE,
  FIRST_PARTY_CODE_PREFIX,
  FIRST_PARTY_PRODUCT_CODES,
} from '../../../src/adapters/duckdb/bedrock-scan.js';

const squash = (sql: string) => sql.replace(/\s+/g, ' ').trim();

describe('the DuckDB engine’s early Bedrock filter', () => {
  it('is exactly the two halves of the template’s filter, so the early scan keeps the same lines', () => {
    // The template's filter as DuckDB runs it: its product lookups filled in DuckDB's dialect.
    const template = squash(loadSql('cur2/bedrock_lines.sql')).replaceAll(
      '{{product_name}}',
      DUCKDB_PRODUCT_FIELDS.product_name,
    );
    const where = template.slice(template.lastIndexOf(' WHERE ') + ' WHERE '.length);
    expect(where).toBe(`(${squash(CUR2_FIRST_PARTY_PREDICATE)}) OR (${squash(CUR2_MARKETPLACE_PREDICATE)})`);
  });

  it('reads first-party rows through a code prefix that every first-party code has', () => {
    for (const code of FIRST_PARTY_PRODUCT_CODES) expect(code.startsWith(FIRST_PARTY_CODE_PREFIX)).toBe(true);
  });
});
