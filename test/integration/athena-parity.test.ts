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
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { athenaStage1Engine } from '../../src/adapters/athena/athena-engine.js';
import { athenaColumnName, LEGACY_TIMESTAMP_COLUMNS } from '../../src/adapters/cur-sql/csv-columns.js';
import {
  installAthenaMacros,
  runAthenaSqlOnDuckDb,
} from '../../src/adapters/cur-sql/duckdb-athena-macros.js';
import { type DuckDb, sqlIdentifier, sqlString, withDuckDb } from '../../src/adapters/duckdb/duckdb.js';
import { duckDbStage1Engine, readStage1 } from '../../src/adapters/duckdb/stage1-reader.js';
import { localFactStore } from '../../src/adapters/local-fs/fact-store.js';
import { localIngestLedger } from '../../src/adapters/local-fs/ingest-ledger.js';
import { ingestDelivery } from '../../src/app/ingest-delivery.js';
import type { Stage1Output } from '../../src/app/ports/ingest.js';
import { backfillCommand } from '../../src/cli/commands/backfill.js';
import { loadModelCatalog } from '../../src/config/model-catalog.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import type { DailyFact } from '../../src/core/facts/daily-fact.js';
import type { Stage1Row } from '../../src/core/normalize/stage1-row.js';
import {
  EC2_LINE,
  OTHER_MARKETPLACE_LINE,
  type TinyLine,
  writeTinyCur2,
  writeTinyLegacyCsv,
} from '../helpers/tiny-cur.js';

/**
 * Parity: the DuckDB engine on a CUR file, and the Athena engine whose SQL text (the exact text and
 * execution parameters it would send to Athena) is executed by DuckDB over the same data loaded as a
 * Glue-like table, must produce identical stage-1 output. The Athena client is mocked at the SDK
 * command level; its StartQueryExecution runs the query on DuckDB with the Trino-function macros.
 */

const TAG_KEYS = ['costcenter', 'environment', 'team', 'workload'];
const NOVA = 'USE1-NovaLite-input-tokens';

const CUR2_LINES: TinyLine[] = [
  {
    day: '2026-06-03',
    usageType: NOVA,
    unit: '1K tokens',
    amount: '12500',
    cost: '0.75',
    operation: 'InvokeModelInference',
    resourceId: 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc',
    tags: { Workload: 'support-bot', environment: 'prod' },
  },
  {
    day: '2026-06-03',
    usageType: NOVA,
    unit: '1K tokens',
    amount: '100',
    cost: '0.006',
    operation: 'InvokeModelStreamingInference',
    tags: { Workload: 'support-bot', environment: 'prod' },
  },
  // Same group as the first line: sums must add exactly.
  {
    day: '2026-06-03',
    usageType: NOVA,
    unit: '1K tokens',
    amount: '0.125',
    cost: '0.0000075',
    operation: 'InvokeModelInference',
    resourceId: 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc',
    tags: { Workload: 'support-bot', environment: 'prod' },
  },
  {
    day: '2026-06-03',
    entity: 'AWS Marketplace',
    productCode: '4a524th30q694o538qndh9ucht',
    productName: 'Claude Sonnet 4.6 (Amazon Bedrock Edition)',
    usageType: 'USE1-MP:USE1_CacheReadInputTokenCount_Global-Units',
    unit: 'Units',
    description: 'AWS Marketplace software usage|us-east-1|Million Cache Read Input Tokens Global',
    amount: '42',
    cost: '12.6',
    account: '444455556666',
    accountName: 'prod-genai',
    principal: 'arn:aws:sts::444455556666:assumed-role/support-bot-prod/i-0abc',
    tagMap: {
      'iamPrincipal/team': 'support',
      'iamPrincipal/Cost-Center': 'cc-7',
      'resourceTags/user:cost-center': 'cc-42',
      'resourceTags/aws:createdBy': 'someone',
      'resourceTags/Workload': 'claude-search',
      'accountTag/environment': 'prod',
      'accountTag/owner': 'ignored-not-configured',
      'resourceTags/user:team': '',
    },
  },
  // Two raw spellings of one key: stage 1 keeps both pairs, stage 2 picks.
  {
    day: '2026-06-04',
    usageType: 'USE1-Claude4.6Sonnet-output-tokens',
    productCode: 'AmazonBedrockService',
    unit: '1K tokens',
    amount: '2048',
    cost: '30.72',
    tags: { 'cost-center': 'cc-1', CostCenter: 'cc-2' },
    tagMap: { 'resourceTags/user:Team': 'search' },
  },
  { day: '2026-06-04', usageType: NOVA, type: 'Credit', amount: '0', cost: '-0.5' },
  { day: '2026-06-03', usageType: '', type: 'Tax', amount: '1', cost: '0.000000001800', unit: '' },
  {
    day: '2026-06-05',
    usageType: 'USE1-AgentCore-Runtime-vCPU-Hours',
    productCode: 'AmazonBedrockAgentCore',
    unit: 'vCPU-Hours',
    amount: '3.5',
    cost: '0.31395',
  },
  EC2_LINE,
  OTHER_MARKETPLACE_LINE,
];

const LEGACY_LINES: TinyLine[] = [
  {
    day: '2026-06-03',
    usageType: NOVA,
    unit: '1K tokens',
    amount: '1.25E4',
    cost: '7.5E-1',
    operation: 'InvokeModelInference',
    tags: { Workload: 'bot', Team: '', 'cost-center': 'cc-9' },
  },
  {
    day: '2026-06-03',
    usageType: NOVA,
    unit: '1K tokens',
    amount: '10',
    cost: '0.0006',
    operation: 'InvokeModelInference',
    tags: { Workload: 'bot', Team: '', 'cost-center': 'cc-9' },
  },
  {
    day: '2026-06-04',
    entity: 'AWS Marketplace',
    productCode: '4a524th30q694o538qndh9ucht',
    productName: 'Claude Sonnet 4.6 (Amazon Bedrock Edition)',
    usageType: 'USE1-MP:USE1_InputTokenCount-Units',
    unit: 'Units',
    description: 'AWS Marketplace software usage|us-east-1|Million Input Tokens',
    amount: '3',
    cost: '9',
    tags: { Team: 'search' },
  },
  { day: '2026-06-03', usageType: '', type: 'Tax', amount: '1', cost: '1.8E-9' },
  EC2_LINE,
];

const ref = (path: string) => ({ path, label: path });

/** DuckDB column types as Glue stores them, which is what GetTableMetadata returns. */
function hiveType(duckType: string): string {
  if (duckType.startsWith('MAP(')) return 'map<string,string>';
  const types: Record<string, string> = {
    VARCHAR: 'string',
    DOUBLE: 'double',
    TIMESTAMP: 'timestamp',
    BIGINT: 'bigint',
    INTEGER: 'int',
    BOOLEAN: 'boolean',
  };
  const type = types[duckType];
  if (!type) throw new Error(`no Hive type for ${duckType}`);
  return type;
}

interface FakeAthena {
  client: AthenaClient;
  statements: { sql: string; parameters: string[] }[];
}

/**
 * An Athena client whose queries run on `db`. Result pages hold 4 rows so every test pages; the
 * first row of the first page is the header, as Athena sends it.
 */
function fakeAthena(
  db: DuckDb,
  database: string,
  table: string,
  partitionKeys: readonly string[],
): FakeAthena {
  const client = new AthenaClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  const mock = mockClient(client);
  const statements: FakeAthena['statements'] = [];
  const results = new Map<string, { columns: string[]; rows: (string | null)[][] }>();
  mock.on(GetTableMetadataCommand).callsFake(async (input) => {
    expect(input).toEqual({ CatalogName: 'AwsDataCatalog', DatabaseName: database, TableName: table });
    const described = await db.rows<{ column_name: string; column_type: string }>(
      `DESCRIBE ${sqlIdentifier(database)}.${sqlIdentifier(table)}`,
    );
    const column = (c: { column_name: string; column_type: string }) => ({
      Name: c.column_name,
      Type: hiveType(c.column_type),
    });
    return {
      TableMetadata: {
        Name: table,
        Columns: described.filter((c) => !partitionKeys.includes(c.column_name)).map(column),
        PartitionKeys: described.filter((c) => partitionKeys.includes(c.column_name)).map(column),
      },
    };
  });
  mock.on(StartQueryExecutionCommand).callsFake(async (input) => {
    const parameters = input.ExecutionParameters ?? [];
    statements.push({ sql: input.QueryString, parameters });
    const id = `q-${statements.length}`;
    results.set(id, await runAthenaSqlOnDuckDb(db, input.QueryString, parameters));
    return { QueryExecutionId: id };
  });
  mock.on(GetQueryExecutionCommand).callsFake(async (input) => ({
    QueryExecution: { QueryExecutionId: input.QueryExecutionId, Status: { State: 'SUCCEEDED' } },
  }));
  mock.on(GetQueryResultsCommand).callsFake(async (input) => {
    const result = results.get(input.QueryExecutionId)!;
    const all = [result.columns, ...result.rows];
    const start = Number(input.NextToken ?? '0');
    const page = all.slice(start, start + 4);
    const next = start + 4 < all.length ? String(start + 4) : undefined;
    return {
      ResultSet: {
        Rows: page.map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) })),
        ResultSetMetadata: { ColumnInfo: result.columns.map((Name) => ({ Name, Type: 'varchar' })) },
      },
      ...(next ? { NextToken: next } : {}),
    };
  });
  return { client, statements };
}

const byKey = (rows: readonly Stage1Row[]) =>
  [...rows].sort((a, b) => {
    const ka = JSON.stringify(a);
    const kb = JSON.stringify(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });

function expectSameStage1(athena: Stage1Output, duck: Stage1Output): void {
  expect(athena.format).toBe(duck.format);
  expect(byKey(athena.rows)).toEqual(byKey(duck.rows));
  expect(athena.totals).toEqual(duck.totals);
  expect(athena.rowsRead).toBe(duck.rowsRead);
  expect(athena.newestUsageEnd).toBe(duck.newestUsageEnd);
}

async function athenaOnDuckDb(
  load: (db: DuckDb) => Promise<void>,
  table: { database: string; table: string; partitionKeys: readonly string[] },
): Promise<{ output: Stage1Output; statements: FakeAthena['statements'] }> {
  return withDuckDb(async (db) => {
    await load(db);
    await installAthenaMacros(db);
    const athena = fakeAthena(db, table.database, table.table, table.partitionKeys);
    const engine = athenaStage1Engine({
      client: athena.client,
      database: table.database,
      table: table.table,
      workgroup: 'primary',
      billingPeriod: '2026-06',
      sleep: async () => {},
    });
    return { output: await engine.run([], TAG_KEYS), statements: athena.statements };
  });
}

const loadCur2 = (file: string) => async (db: DuckDb) => {
  await db.run('CREATE SCHEMA cur');
  // The export's BILLING_PERIOD=2026-06 folder becomes the billing_period partition column.
  await db.run(
    `CREATE TABLE cur.cur2_export AS SELECT *, '2026-06' AS billing_period FROM read_parquet(${sqlString(file)})`,
  );
};

describe('Athena stage-1 SQL gives the DuckDB engine’s stage-1 rows (parity)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bc-athena-parity-'));
  });

  it('CUR 2.0: both billing paths, resource_tags and tags maps, principal, credit, tax', async () => {
    const file = join(dir, 'cur2.parquet');
    await writeTinyCur2(file, CUR2_LINES);
    const duck = await readStage1([ref(file)], { tagKeys: TAG_KEYS });
    const { output, statements } = await athenaOnDuckDb(loadCur2(file), {
      database: 'cur',
      table: 'cur2_export',
      partitionKeys: ['billing_period'],
    });

    expectSameStage1(output, duck);
    // The fixture exercises what it claims to, on both sides.
    expect(duck.rows.length).toBe(7);
    expect(duck.totals.map((t) => t.lineItems)).toEqual([8]);
    expect(duck.rowsRead).toBe(10);
    expect(duck.newestUsageEnd).toBe('2026-06-06T00:00:00Z');
    const claude = output.rows.find((r) => r.billingEntity === 'AWS Marketplace')!;
    expect(claude.resourceTags).toEqual([
      ['costcenter', 'cc-42'],
      ['workload', 'claude-search'],
    ]);
    expect(claude.principalTags).toEqual([
      ['costcenter', 'cc-7'],
      ['team', 'support'],
    ]);
    expect(claude.accountTags).toEqual([['environment', 'prod']]);
    const twoSpellings = output.rows.find((r) => r.productCode === 'AmazonBedrockService')!;
    expect(twoSpellings.resourceTags).toEqual([
      ['costcenter', 'cc-1'],
      ['costcenter', 'cc-2'],
      ['team', 'search'],
    ]);

    // One statement; no value inside its text, all of them execution parameters.
    expect(statements).toHaveLength(1);
    const [statement] = statements;
    expect(statement!.sql).not.toContain('2026-06');
    for (const key of TAG_KEYS) expect(statement!.sql).not.toContain(`'${key}'`);
    expect(statement!.parameters[0]).toBe("'costcenter'");
    expect(statement!.parameters.filter((p) => p === "'2026-06'")).toHaveLength(2);
  });

  it('CUR 2.0 without the optional columns (schema drift): no tags map, no principal, no net cost', async () => {
    const raw = join(dir, 'drift.parquet');
    await writeTinyCur2(raw, CUR2_LINES, [
      'line_item_iam_principal',
      'line_item_resource_id',
      'line_item_usage_account_name',
      'line_item_net_unblended_cost',
      'tags',
      'pricing_unit',
    ]);
    const duck = await readStage1([ref(raw)], { tagKeys: TAG_KEYS });
    const { output } = await athenaOnDuckDb(loadCur2(raw), {
      database: 'cur',
      table: 'cur2_export',
      partitionKeys: ['billing_period'],
    });
    expectSameStage1(output, duck);
    expect(output.rows.every((r) => r.iamPrincipal === null && r.principalTags.length === 0)).toBe(true);
  });

  it('CUR 2.0 with NULL maps beside populated ones (Trino concat would return NULL)', async () => {
    const raw = join(dir, 'null-maps.raw.parquet');
    const file = join(dir, 'null-maps.parquet');
    await writeTinyCur2(raw, CUR2_LINES);
    // Untagged rows of a real export may carry NULL maps instead of empty ones.
    await withDuckDb((db) =>
      db.run(
        `COPY (SELECT * REPLACE (
                 CASE WHEN cardinality(resource_tags) = 0 THEN NULL ELSE resource_tags END AS resource_tags,
                 CASE WHEN cardinality(tags) = 0 THEN NULL ELSE tags END AS tags)
               FROM read_parquet(${sqlString(raw)})) TO ${sqlString(file)} (FORMAT parquet)`,
      ),
    );
    const duck = await readStage1([ref(file)], { tagKeys: TAG_KEYS });
    const { output } = await athenaOnDuckDb(loadCur2(file), {
      database: 'cur',
      table: 'cur2_export',
      partitionKeys: ['billing_period'],
    });
    expectSameStage1(output, duck);
  });

  it('legacy CUR (CSV headers renamed as Athena names them, year/month partitions)', async () => {
    const file = join(dir, 'legacy.csv');
    await writeTinyLegacyCsv(file, LEGACY_LINES);
    const duck = await readStage1([ref(file)], { tagKeys: TAG_KEYS });
    const { output, statements } = await athenaOnDuckDb(
      async (db) => {
        // The legacy Athena table: Athena column names, text values, timestamps typed, year/month partitions.
        const reader = `read_csv(${sqlString(file)}, header = true, all_varchar = true)`;
        const headers = await db.rows<{ column_name: string }>(`DESCRIBE SELECT * FROM ${reader}`);
        const select = headers.map(({ column_name: h }) => {
          const name = athenaColumnName(h);
          const value = `NULLIF(${sqlIdentifier(h)}, '')`;
          return `${LEGACY_TIMESTAMP_COLUMNS.has(name) ? `CAST(${value} AS TIMESTAMP)` : value} AS ${sqlIdentifier(name)}`;
        });
        await db.run('CREATE SCHEMA cur');
        await db.run(
          `CREATE TABLE cur.legacy_cur AS SELECT ${select.join(', ')}, '2026' AS year, '6' AS month FROM ${reader}`,
        );
      },
      { database: 'cur', table: 'legacy_cur', partitionKeys: ['year', 'month'] },
    );
    expectSameStage1(output, duck);
    expect(duck.format).toBe('legacy');
    expect(duck.rows.length).toBe(3);
    expect(output.rows.find((r) => r.usageType === NOVA)!.resourceTags).toEqual([
      ['costcenter', 'cc-9'],
      ['workload', 'bot'],
    ]);
    expect(statements[0]!.parameters.slice(-4)).toEqual(["'2026'", "'6'", "'2026'", "'6'"]);
  });

  it('backfill on Athena stores the facts ingest on DuckDB stores (stage 2, reconcile, store unchanged)', async () => {
    // Prepare
    const file = join(dir, 'cur2-e2e.parquet');
    await writeTinyCur2(file, CUR2_LINES);
    const viaDuckDb = join(dir, 'store-duckdb');
    const viaAthena = join(dir, 'store-athena');
    const config = DEFAULT_CONFIG;
    await ingestDelivery(
      {
        exportName: 'cur2_export',
        objectKey: file,
        version: 'v1',
        billingPeriod: '2026-06',
        files: [ref(file)],
      },
      {
        engine: duckDbStage1Engine(),
        store: localFactStore(viaDuckDb),
        ledger: localIngestLedger(viaDuckDb),
        config,
        catalog: loadModelCatalog(config),
        clock: () => new Date('2026-07-02T08:00:00Z'),
      },
    );
    // Act
    await withDuckDb(async (db) => {
      await loadCur2(file)(db);
      await installAthenaMacros(db);
      const athena = fakeAthena(db, 'cur', 'cur2_export', ['billing_period']);
      const quiet = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        await backfillCommand({ athenaClient: athena.client, sleep: async () => {} }).parseAsync(
          ['--from', '2026-06', '--to', '2026-06', '--database', 'cur', '--table', 'cur2_export'].concat([
            '--workgroup',
            'primary',
            '--store',
            viaAthena,
          ]),
          { from: 'user' },
        );
      } finally {
        quiet.mockRestore();
      }
    });
    // Assess
    expect(process.exitCode).toBe(0);
    process.exitCode = undefined;
    const comparable = (facts: DailyFact[]) =>
      facts
        .map(({ snapshotId: _s, ...rest }) =>
          JSON.stringify(rest, (_k, v) => (typeof v === 'bigint' ? `${v}` : v)),
        )
        .sort();
    const expected = await localFactStore(viaDuckDb).read({});
    expect(expected.length).toBeGreaterThan(5);
    expect(comparable(await localFactStore(viaAthena).read({}))).toEqual(comparable(expected));
  });

  // Known gap, in sql/*/bedrock_lines.sql rather than here: DuckDB's CAST(DOUBLE AS DECIMAL(38, 15))
  // multiplies in binary floating point (54130.673382 → 54130.673382000001024) while Trino uses the
  // shortest decimal form of the double (54130.673382000000000), and so does the Athena text run on
  // DuckDB. Casting through VARCHAR in the sql/ files fixes DuckDB; then this test passes — drop `.fails`.
  it('large fractional doubles: identical because sql/ casts money through VARCHAR', async () => {
    const file = join(dir, 'large.parquet');
    await writeTinyCur2(file, [
      { day: '2026-06-03', usageType: NOVA, amount: '54130.673382', cost: '5198.25920899' },
    ]);
    const duck = await readStage1([ref(file)], { tagKeys: TAG_KEYS });
    const { output } = await athenaOnDuckDb(loadCur2(file), {
      database: 'cur',
      table: 'cur2_export',
      partitionKeys: ['billing_period'],
    });
    expect(output.rows[0]!.usageAmount).toBe('54130.673382000000000');
    expectSameStage1(output, duck);
  });
});
