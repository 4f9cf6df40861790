import { describe, expect, it } from 'vitest';
import { athenaDdl } from '../../../src/adapters/athena/athena-ddl.js';
import { storedType } from '../../../src/adapters/duckdb/fact-columns.js';
import { FACT_COLUMNS } from '../../../src/core/facts/fact-schema.js';

/** Athena's partition projection placeholder, written in the DDL as is. */
const PROJECTED_PERIOD = ['$', '{billing_period}'].join('');

const TARGET = { database: 'bedrock_cost', table: 'facts', location: 's3://finops-data/bedrock-cost' };

/** `name TYPE` pairs of a CREATE TABLE column list. */
function declaredColumns(ddl: string): [string, string][] {
  const body = /\(\n([\s\S]*?)\n\)\nPARTITIONED BY/.exec(ddl)![1]!;
  return body.split(',\n').map((line) => {
    const [name, ...type] = line.trim().split(' ');
    return [name!, type.join(' ')];
  });
}

describe('sql/athena DDL', () => {
  it('the facts table declares every fact column with the type the Parquet files are written with', () => {
    const ddl = athenaDdl('create_facts_table', TARGET);
    const hive = (duckType: string) =>
      ({ VARCHAR: 'STRING', INTEGER: 'INT', BIGINT: 'BIGINT' })[duckType] ?? duckType;
    expect(declaredColumns(ddl)).toEqual(
      FACT_COLUMNS.filter((c) => c.name !== 'billing_period').map((c) => [c.name, hive(storedType(c.kind))]),
    );
    expect(ddl).toContain('PARTITIONED BY (billing_period STRING)');
    expect(ddl).toContain("LOCATION 's3://finops-data/bedrock-cost/facts/'");
    expect(ddl).toContain(
      `'storage.location.template' = 's3://finops-data/bedrock-cost/facts/billing_period=${PROJECTED_PERIOD}'`,
    );
    expect(ddl.startsWith('CREATE EXTERNAL TABLE IF NOT EXISTS `bedrock_cost`.`facts` (')).toBe(true);
  });

  it('the CUR 2.0 table declares every column stage 1 requires and projects BILLING_PERIOD folders', () => {
    const ddl = athenaDdl('create_cur2_table', { ...TARGET, table: 'cur2', location: 's3://cur/exp/data' });
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
    [{ ...TARGET, table: 'facts`; DROP' }, 'Athena table "facts`; DROP" is not valid'],
  ])('refuses unsafe values: %o', (target, message) => {
    expect(() => athenaDdl('create_facts_table', target)).toThrow(message);
  });
});
