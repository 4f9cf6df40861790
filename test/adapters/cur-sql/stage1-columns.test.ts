import { describe, expect, it } from 'vitest';
import {
  STAGE1_COLUMNS,
  STAGE1_GROUP_COLUMNS,
  STAGE1_ROW_ORDER,
  STAGE1_SUM_COLUMNS,
  stage1GroupsSql,
  stage1RowConverter,
} from '../../../src/adapters/cur-sql/stage1-columns.js';

describe('the stage-1 column table', () => {
  it('has the 19 grouping columns, then the three sums and the line count', () => {
    expect(STAGE1_GROUP_COLUMNS).toHaveLength(19);
    expect(STAGE1_SUM_COLUMNS).toEqual(['usage_amount', 'cost_unblended', 'cost_net', 'line_items']);
    // The row order covers every grouping column once, so it is total.
    expect([...STAGE1_ROW_ORDER].sort()).toEqual([...STAGE1_GROUP_COLUMNS].sort());
  });

  it('fills sql/stage1_groups.sql with the grouping columns in the SELECT list and the grouping set', () => {
    const sql = stage1GroupsSql('lines_relation');
    const list = STAGE1_GROUP_COLUMNS.join(', ');
    expect(sql).toContain(`SELECT\n  ${list},`);
    expect(sql).toContain(`GROUPING SETS ((${list}), (billing_period))`);
    expect(sql).toContain('FROM lines_relation');
  });

  it('converts a row of text values by position, tag texts parsed once and shared', () => {
    const values = STAGE1_COLUMNS.map((c): string | null => {
      if (c.kind === 'tags') return c.name === 'account_tags' ? null : '[["team","search"]]';
      if (c.kind === 'decimal') return '1.5';
      if (c.kind === 'count') return '7';
      return c.kind === 'nullable' && c.name === 'region' ? null : c.name;
    });
    const convert = stage1RowConverter({ decimal: (text) => `${text}00` });
    const row = convert(values);
    expect(row.usageDate).toBe('usage_date');
    expect(row.iamPrincipal).toBe('iam_principal');
    expect(row.region).toBeNull();
    expect(row.resourceTags).toEqual([['team', 'search']]);
    expect(row.principalTags).toBe(row.resourceTags);
    expect(row.accountTags).toEqual([]);
    expect(row.costNet).toBe('1.500');
    expect(row.lineItems).toBe(7);
    expect(Object.keys(row)).toEqual(STAGE1_COLUMNS.map((c) => c.field));
  });
});
