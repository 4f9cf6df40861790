import { describe, expect, it } from 'vitest';
import { athenaDdl } from '../../../src/adapters/athena/athena-ddl.js';

/** Athena's partition projection placeholder, written in the DDL as is. */
const PROJECTED_PERIOD = ['$', '{billing_period}'].join('');

const TARGET = { database: 'bedrock_cost', table: 'cur2', location: 's3://cur/exp/data' };

/** `name TYPE` pairs of a CREATE TABLE column list. */
function declaredColumns(ddl: string): [string, string][] {
  const body = /\(\n([\s\S]*?)\n\)\nPARTITIONED BY/.exec(ddl)![1]!;
  return body.split(',\n').map((line) => {
    const [name, ...type] = line.trim().split(' ');
    return [name!, type.join(' ')];
  });
}

describe('sql/athena/create_cur2_table.sql', () => {
  it('the CUR 2.0 table declares every column stage 1 requires and projects BILLING_PERIOD folders', () => {
    const ddl = athenaDdl('create_cur2_table', TARGET);
    const names = declaredColumns(ddl).map(([name]) => name);
    for (const required of [
      'bill_billing_entity',
      'line_item_usage_type',
      'line_item_unblended_cost',
      'product',
    ]) {
      expect(names).toContain(required);
    }
    expect(ddl).toContain(
      `'storage.location.template' = 's3://cur/exp/data/BILLING_PERIOD=${PROJECTED_PERIOD}'`,
    );
  });

  it.each([
    [{ ...TARGET, location: "s3://bucket/x' OR 1=1" }, 'is not an s3://bucket/prefix URI'],
    [{ ...TARGET, location: 's3://bucket/prefix/' }, 'is not an s3://bucket/prefix URI'],
    [{ ...TARGET, table: 'cur2`; DROP' }, 'Athena table "cur2`; DROP" is not valid'],
  ])('refuses unsafe values: %o', (target, message) => {
    expect(() => athenaDdl('create_cur2_table', target)).toThrow(message);
  });
});
