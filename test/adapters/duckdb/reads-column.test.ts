import { describe, expect, it } from 'vitest';
import { readsColumn } from '../../../src/adapters/duckdb/stage1-reader.js';

describe('readsColumn (the CSV columns stage 1 keeps)', () => {
  it('finds a column named bare or quoted', () => {
    expect(readsColumn('SELECT line_item_usage_type AS usage_type FROM t', 'line_item_usage_type')).toBe(
      true,
    );
    expect(readsColumn(`CAST("resource_tags_user_team" AS VARCHAR)`, 'resource_tags_user_team')).toBe(true);
  });

  it('does not take a longer name, or a name inside a longer one, for the column', () => {
    const sql = 'SELECT line_item_usage_type, product_product_name FROM t';
    expect(readsColumn(sql, 'line_item_usage')).toBe(false);
    expect(readsColumn(sql, 'product_name')).toBe(false);
    expect(readsColumn(sql, 'item_usage_type')).toBe(false);
  });
});
