import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetTableMetadataCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ATHENA_STAGE1_COLUMNS } from '../../src/adapters/cur-sql/athena-dialect.js';
import { localFactStore } from '../../src/adapters/local-fs/fact-store.js';
import { localIngestLedger } from '../../src/adapters/local-fs/ingest-ledger.js';
import { backfillCommand, billingPeriodsBetween } from '../../src/cli/commands/backfill.js';
import { formatMoney, sumMoney } from '../../src/core/money.js';

const client = new AthenaClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
});
const athena = mockClient(client);

const TABLE = {
  TableMetadata: {
    Name: 'data',
    Columns: [
      'bill_billing_entity',
      'bill_payer_account_id',
      'bill_billing_period_start_date',
      'line_item_usage_account_id',
      'line_item_usage_start_date',
      'line_item_product_code',
      'line_item_usage_type',
      'line_item_line_item_type',
      'line_item_usage_amount',
      'line_item_unblended_cost',
      'pricing_unit',
    ]
      .map((Name) => ({ Name, Type: 'string' }))
      .concat([{ Name: 'product', Type: 'map<string,string>' }]),
    PartitionKeys: [{ Name: 'billing_period', Type: 'string' }],
  },
};

type Row = Partial<Record<(typeof ATHENA_STAGE1_COLUMNS)[number], string>>;

/** What Athena would answer for one period: one Nova Lite group, its total, the partition count. */
function periodRows(period: string): Row[] {
  return [
    {
      row_kind: 'group',
      usage_date: `${period}-03`,
      billing_period: period,
      payer_account: '999988887777',
      usage_account: '111122223333',
      billing_entity: 'AWS',
      product_code: 'AmazonBedrock',
      product_name: 'Amazon Bedrock',
      region: 'us-east-1',
      usage_type: 'USE1-NovaLite-input-tokens',
      pricing_unit: '1K tokens',
      line_item_type: 'Usage',
      resource_tags: '[]',
      principal_tags: '[]',
      account_tags: '[]',
      usage_amount: '12500.000000000000000',
      cost_unblended: '0.750000000000000',
      cost_net: '0.750000000000000',
      line_items: '2',
    },
    {
      row_kind: 'total',
      billing_period: period,
      cost_unblended: '0.750000000000000',
      cost_net: '0.750000000000000',
      line_items: '2',
    },
    { row_kind: 'partition', rows_read: '40', newest_usage_end: `${period}-28 00:00:00.000` },
  ];
}

let stdout: string;
let stderr: string;
let store: string;

beforeEach(async () => {
  athena.reset();
  stdout = '';
  stderr = '';
  store = await mkdtemp(join(tmpdir(), 'bc-backfill-'));
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const periods = new Map<string, string>();
  athena.on(GetTableMetadataCommand).resolves(TABLE);
  athena.on(StartQueryExecutionCommand).callsFake(async (input) => {
    const id = `q-${periods.size + 1}`;
    periods.set(id, input.ExecutionParameters!.at(-1)!.replaceAll("'", ''));
    return { QueryExecutionId: id };
  });
  athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
  athena.on(GetQueryResultsCommand).callsFake(async (input) => ({
    ResultSet: {
      Rows: [
        [...ATHENA_STAGE1_COLUMNS],
        ...periodRows(periods.get(input.QueryExecutionId)!).map((r) =>
          ATHENA_STAGE1_COLUMNS.map((c) => r[c] ?? null),
        ),
      ].map((values) => ({ Data: values.map((v) => (v === null ? {} : { VarCharValue: v })) })),
      ResultSetMetadata: { ColumnInfo: ATHENA_STAGE1_COLUMNS.map((Name) => ({ Name, Type: 'varchar' })) },
    },
  }));
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

const run = (...args: string[]) =>
  backfillCommand({
    athenaClient: client,
    sleep: async () => {},
    clock: () => new Date('2026-07-02T08:00:00Z'),
  }).parseAsync(
    ['--database', 'cur', '--table', 'data', '--workgroup', 'primary', '--store', store, ...args],
    { from: 'user' },
  );

describe('bedrock-cost backfill', () => {
  it('lists every billing period of the range, across a year end', () => {
    expect(billingPeriodsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(billingPeriodsBetween('2026-03', '2026-02')).toEqual([]);
  });

  it('runs stage 1 on Athena per period and stores reconciled facts like ingest does', async () => {
    // Act
    await run('--from', '2026-04', '--to', '2026-06', '--output-location', 's3://results/athena/');
    // Assess
    expect(process.exitCode).toBe(0);
    expect(stderr).toBe('');
    const starts = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input);
    expect(starts.map((s) => s.ExecutionParameters!.at(-1))).toEqual(["'2026-04'", "'2026-05'", "'2026-06'"]);
    expect(starts[0]).toMatchObject({
      WorkGroup: 'primary',
      QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: 'cur' },
      ResultConfiguration: { OutputLocation: 's3://results/athena/' },
    });
    const facts = await localFactStore(store).read({});
    expect([...new Set(facts.map((f) => f.billingPeriod))].sort()).toEqual(['2026-04', '2026-05', '2026-06']);
    expect(formatMoney(sumMoney(facts.map((f) => f.costUnblended)))).toBe('2.25');
    expect(new Set(facts.map((f) => f.sourceExport))).toEqual(new Set(['data']));
    const ledger = await localIngestLedger(store).get('athena://cur.data/2026-05');
    expect(ledger).toMatchObject({ exportName: 'data', billingPeriods: ['2026-05'], costUnblended: '0.75' });
    expect(stdout).toContain('3 billing period(s) rebuilt, 0 failed');
  });

  it('re-runs a period it has already rebuilt (a backfill is never "unchanged")', async () => {
    // The same export name both times: under another name the period's spend would be stored twice (refused).
    await run('--from', '2026-06', '--to', '2026-06', '--export', 'bedrock-cur');
    await run('--from', '2026-06', '--to', '2026-06', '--format', 'json', '--export', 'bedrock-cur');
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(2);
    const report = JSON.parse(stdout.slice(stdout.indexOf('{')));
    expect(report.periods).toEqual([
      expect.objectContaining({
        billing_period: '2026-06',
        object_key: 'athena://cur.data/2026-06',
        export: 'bedrock-cur',
        rows_read: 40,
        bedrock_line_items: 2,
        cost_unblended: '0.75',
        reconciled: true,
      }),
    ]);
  });

  it('reports a failed period, keeps its facts, and goes on with the next one', async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: 'SUCCEEDED' } } })
      .resolvesOnce({
        QueryExecution: {
          Status: { State: 'FAILED', StateChangeReason: 'HIVE_BAD_DATA: malformed Parquet file' },
        },
      })
      .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    await run('--from', '2026-04', '--to', '2026-06');
    expect(process.exitCode).toBe(1);
    expect(stderr).toBe('error: 2026-05: Athena query q-2 FAILED: HIVE_BAD_DATA: malformed Parquet file\n');
    const facts = await localFactStore(store).read({});
    expect([...new Set(facts.map((f) => f.billingPeriod))].sort()).toEqual(['2026-04', '2026-06']);
  });

  it('refuses a reversed range before calling Athena', async () => {
    await expect(run('--from', '2026-06', '--to', '2026-05')).rejects.toThrow(
      '--from 2026-06 is after --to 2026-05',
    );
    expect(athena.calls()).toHaveLength(0);
  });
});
