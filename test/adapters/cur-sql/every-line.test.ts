import { describe, expect, it } from 'vitest';
import { everyLineSql, lineProjection } from '../../../src/adapters/cur-sql/line-projection.js';
import { loadSql } from '../../../src/adapters/cur-sql/sql-files.js';
import { STAGE1_COLUMNS } from '../../../src/adapters/cur-sql/stage1-columns.js';

describe('everyLineSql (the one-pass CSV read)', () => {
  it("wraps every column of the legacy template in the template's own Bedrock filter", () => {
    const template = loadSql('legacy/bedrock_lines.sql');
    const columns = new Map(
      ['line_item_usage_amount', 'line_item_unblended_cost', 'product_product_name'].map((c) => [
        c,
        'VARCHAR',
      ]),
    );
    const sql = everyLineSql(
      template,
      { ...lineProjection('legacy', columns, ['team']), source: 'cur_source' },
      'line_item_line_item_type AS pass_type',
    );
    for (const column of STAGE1_COLUMNS.filter((c) => c.kind !== 'count')) {
      expect(sql).toMatch(new RegExp(`CASE WHEN pass_bedrock THEN .+? END AS ${column.name}\\b`));
    }
    const filter = template.slice(template.indexOf('\nWHERE ') + '\nWHERE '.length);
    expect(sql).toContain(
      `COALESCE(${filter}, false) AS pass_bedrock, line_item_line_item_type AS pass_type FROM cur_source`,
    );
    expect(sql).not.toContain('{{');
  });

  it('refuses a template of another shape instead of reading every line as Bedrock', () => {
    expect(() => everyLineSql('SELECT\n  a AS b\nFROM {{source}}', { source: 't' }, 'x AS pass_x')).toThrow(
      'expected SELECT, one column per line, FROM, then WHERE',
    );
    expect(() =>
      everyLineSql('SELECT\n  a AS b,\n  c + d\nFROM {{source}}\nWHERE true', { source: 't' }, 'x AS pass_x'),
    ).toThrow('cannot read the column line "c + d"');
  });
});
