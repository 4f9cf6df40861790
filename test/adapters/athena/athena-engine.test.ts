import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetTableMetadataCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { athenaStage1Engine, athenaStage1EngineFactory } from '../../../src/adapters/athena/athena-engine.js';
import { decimalText, isoSeconds } from '../../../src/adapters/athena/athena-stage1-rows.js';
import { ATHENA_STAGE1_COLUMNS } from '../../../src/adapters/cur-sql/athena-dialect.js';
import { InputError } from '../../../src/core/errors.js';
import { formatMoney } from '../../../src/core/money.js';

const client = new AthenaClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
});
const athena = mockClient(client);

const column = (Name: string, Type: string) => ({ Name, Type });
const CUR2_TABLE = {
  TableMetadata: {
    Name: 'data',
    Columns: [
      column('bill_billing_entity', 'string'),
      column('bill_payer_account_id', 'string'),
      column('bill_billing_period_start_date', 'timestamp'),
      column('line_item_usage_account_id', 'string'),
      column('line_item_usage_start_date', 'timestamp'),
      column('line_item_usage_end_date', 'timestamp'),
      column('line_item_product_code', 'string'),
      column('line_item_usage_type', 'string'),
      column('line_item_line_item_type', 'string'),
      column('line_item_usage_amount', 'double'),
      column('line_item_unblended_cost', 'double'),
      column('product', 'map<string,string>'),
      column('resource_tags', 'map<string,string>'),
    ],
    PartitionKeys: [column('billing_period', 'string')],
  },
};

type Row = Partial<Record<(typeof ATHENA_STAGE1_COLUMNS)[number], string>>;
const resultPage = (rows: Row[]) => ({
  ResultSet: {
    Rows: [
      [...ATHENA_STAGE1_COLUMNS],
      ...rows.map((r) => ATHENA_STAGE1_COLUMNS.map((c) => r[c] ?? null)),
    ].map((values) => ({ Data: values.map((v) => (v === null ? {} : { VarCharValue: v })) })),
    ResultSetMetadata: { ColumnInfo: ATHENA_STAGE1_COLUMNS.map((Name) => ({ Name, Type: 'varchar' })) },
  },
});

const GROUP: Row = {
  row_kind: 'group',
  usage_date: '2026-06-03',
  billing_period: '2026-06',
  payer_account: '999988887777',
  usage_account: '111122223333',
  billing_entity: 'AWS',
  product_code: 'AmazonBedrock',
  product_name: 'Amazon Bedrock',
  region: 'us-east-1',
  usage_type: 'USE1-NovaLite-input-tokens',
  line_item_type: 'Usage',
  resource_tags: '[["workload","support-bot"]]',
  principal_tags: '[]',
  account_tags: '[]',
  // Athena's text of a DECIMAL may not carry every digit of the scale; the engine restores DuckDB's.
  usage_amount: '12500',
  cost_unblended: '0.75',
  cost_net: '-0.5000',
  line_items: '2',
};

const TOTAL: Row = {
  row_kind: 'total',
  billing_period: '2026-06',
  cost_unblended: '0.750000000000000',
  cost_net: '-0.500000000000000',
  line_items: '2',
};

const PARTITION: Row = {
  row_kind: 'partition',
  rows_read: '1234',
  newest_usage_end: '2026-06-05 01:00:00.000',
};

const options = {
  client,
  database: 'cur',
  table: 'data',
  workgroup: 'primary',
  sleep: async () => {},
};

beforeEach(() => {
  athena.reset();
  athena.on(GetTableMetadataCommand).resolves(CUR2_TABLE);
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
  athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
  athena.on(GetQueryResultsCommand).resolves(resultPage([GROUP, TOTAL, PARTITION]));
});

describe('athenaStage1Engine', () => {
  it('reads the schema from the catalog, queries the period, and converts rows as the DuckDB engine does', async () => {
    // Act
    const engine = athenaStage1Engine({ ...options, billingPeriod: '2026-06' });
    const output = await engine.run([{ path: '/ignored.parquet', label: 'ignored' }], ['workload']);
    // Assess
    expect(athena.commandCalls(GetTableMetadataCommand).map((c) => c.args[0].input)).toEqual([
      { CatalogName: 'AwsDataCatalog', DatabaseName: 'cur', TableName: 'data' },
    ]);
    const start = athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input;
    expect(start.ExecutionParameters).toEqual(["'workload'", "'2026-06'", "'2026-06'"]);
    expect(start.QueryString).toContain('FROM "cur"."data" WHERE billing_period = ?');
    expect(output).toEqual({
      format: 'cur2',
      rows: [
        {
          usageDate: '2026-06-03',
          billingPeriod: '2026-06',
          payerAccount: '999988887777',
          usageAccount: '111122223333',
          usageAccountName: null,
          billingEntity: 'AWS',
          productCode: 'AmazonBedrock',
          productName: 'Amazon Bedrock',
          region: 'us-east-1',
          usageType: 'USE1-NovaLite-input-tokens',
          operation: null,
          pricingUnit: null,
          itemDescription: null,
          resourceId: null,
          lineItemType: 'Usage',
          iamPrincipal: null,
          resourceTags: [['workload', 'support-bot']],
          principalTags: [],
          accountTags: [],
          usageAmount: '12500.000000000000000',
          costUnblended: '0.750000000000000',
          costNet: '-0.500000000000000',
          lineItems: 2,
        },
      ],
      totals: [
        {
          billingPeriod: '2026-06',
          costUnblended: expect.anything(),
          costNet: expect.anything(),
          lineItems: 2,
        },
      ],
      rowsRead: 1234,
      emptyFiles: [],
      newestUsageEnd: '2026-06-05T01:00:00Z',
    });
    expect(formatMoney(output.totals[0]!.costNet)).toBe('-0.5');
  });

  it('asks the catalog once for every period of a backfill', async () => {
    const engines = athenaStage1EngineFactory(options);
    await engines.forPeriod('2026-05').run([], []);
    await engines.forPeriod('2026-06').run([], []);
    expect(athena.commandCalls(GetTableMetadataCommand)).toHaveLength(1);
    expect(
      athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input.ExecutionParameters),
    ).toEqual([
      ["''", "'2026-05'", "'2026-05'"],
      ["''", "'2026-06'", "'2026-06'"],
    ]);
    expect(engines.label).toBe('athena://cur.data');
  });

  it('refuses to report an empty partition (an unloaded one would erase the period’s facts)', async () => {
    athena.on(GetQueryResultsCommand).resolves(resultPage([{ row_kind: 'partition', rows_read: '0' }]));
    const error = await athenaStage1Engine({ ...options, billingPeriod: '2026-06' })
      .run([], [])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(
      /^athena:\/\/cur\.data: billing period 2026-06 has no rows \(query q-1\)/,
    );
  });

  it('a month without Bedrock lines has no total row and no groups', async () => {
    athena.on(GetQueryResultsCommand).resolves(resultPage([PARTITION]));
    const output = await athenaStage1Engine({ ...options, billingPeriod: '2026-06' }).run([], []);
    expect(output).toMatchObject({ rows: [], totals: [], rowsRead: 1234 });
  });

  it('names the table when it is not a CUR table', async () => {
    athena.on(GetTableMetadataCommand).resolves({
      TableMetadata: { Name: 'data', Columns: [column('id', 'int')], PartitionKeys: [] },
    });
    await expect(athenaStage1Engine({ ...options, billingPeriod: '2026-06' }).run([], [])).rejects.toThrow(
      'athena://cur.data: not a Cost and Usage Report',
    );
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(0);
  });

  it('rejects a malformed billing period before touching Athena', () => {
    expect(() => athenaStage1Engine({ ...options, billingPeriod: '2026-6' })).toThrow('is not YYYY-MM');
  });
});

describe('result text normalisation', () => {
  it.each([
    ['12500', '12500.000000000000000'],
    ['12500.000000000000000', '12500.000000000000000'],
    ['-0.5', '-0.500000000000000'],
    ['0.0000000018', '0.000000001800000'],
    ['-0.000000000000000', '0.000000000000000'],
    ['1.8E-9', '0.000000001800000'],
  ])('decimal %s → %s', (text, expected) => {
    expect(decimalText(text)).toBe(expected);
  });

  it.each([
    ['2026-06-05 01:00:00.000', '2026-06-05T01:00:00Z'],
    ['2026-06-05 01:00:00', '2026-06-05T01:00:00Z'],
    [null, null],
  ])('timestamp %s → %s', (text, expected) => {
    expect(isoSeconds(text)).toBe(expected);
  });
});
