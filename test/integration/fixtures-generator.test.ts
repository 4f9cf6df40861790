import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixturesCommand } from '../../src/cli/commands/fixtures.js';
import { formatMoney, parseMoney } from '../../src/core/money.js';
import { committedReadmeLines, writeCommittedFixtures } from '../../src/fixtures/committed-preset.js';
import { javaDoubleText } from '../../src/fixtures/decimal.js';
import { type GenerateResult, generateCur } from '../../src/fixtures/generate.js';
import { JAVA_NUMBER_MACROS } from '../../src/fixtures/legacy-columns.js';

const CUDOS_CUR2 = `(bill_billing_entity = 'AWS' AND line_item_product_code IN ('AmazonBedrock', 'AmazonBedrockService',
  'AmazonBedrockFoundationModels', 'AmazonBedrockAgentCore'))
  OR (bill_billing_entity = 'AWS Marketplace' AND product['product_name'] LIKE '%Bedrock%')`;
const CUDOS_LEGACY = CUDOS_CUR2.replace("product['product_name']", 'product_product_name');

let dir: string;
let instance: DuckDBInstance;
let db: DuckDBConnection;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fixtures-generator-'));
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
});

afterAll(async () => {
  db.closeSync();
  instance.closeSync();
  await rm(dir, { recursive: true, force: true });
});

async function rowsOf(sql: string): Promise<Record<string, unknown>[]> {
  const reader = await db.runAndReadAll(sql);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}

function list(files: readonly string[]): string {
  return `[${files.map((f) => `'${f}'`).join(', ')}]`;
}

/** Σ cost computed from each double's shortest text, exactly, as the reconciliation invariant demands. */
async function bedrockSum(source: string, predicate: string, costColumn = 'line_item_unblended_cost') {
  const rows = await rowsOf(`SELECT CAST(${costColumn} AS VARCHAR) AS c FROM ${source} WHERE ${predicate}`);
  let total = 0n;
  for (const r of rows) total += parseMoney(String(r.c));
  return { count: rows.length, total: formatMoney(total as never) };
}

async function md5s(files: readonly string[]): Promise<string[]> {
  return Promise.all(
    files.map(async (f) =>
      createHash('md5')
        .update(await readFile(f))
        .digest('hex'),
    ),
  );
}

describe('CUR 2.0 delivery', () => {
  let result: GenerateResult;
  const options = {
    format: 'cur2' as const,
    start: '2026-04-06',
    days: 5,
    rows: 6000,
    bedrockShare: 0.3,
    chunkRows: 2500,
    emptyChunk: true,
  };

  beforeAll(async () => {
    result = await generateCur({ ...options, outDir: join(dir, 'cur2') });
  });

  it('lays out data, metadata and expected.json like Data Exports', async () => {
    const rel = (p: string) => relative(join(dir, 'cur2'), p);
    expect(result.dataFiles.map(rel)).toEqual([
      'bedrock-cost-cur2/data/BILLING_PERIOD=2026-04/bedrock-cost-cur2-00001.snappy.parquet',
      'bedrock-cost-cur2/data/BILLING_PERIOD=2026-04/bedrock-cost-cur2-00002.snappy.parquet',
      'bedrock-cost-cur2/data/BILLING_PERIOD=2026-04/bedrock-cost-cur2-00003.snappy.parquet',
      'bedrock-cost-cur2/data/BILLING_PERIOD=2026-04/bedrock-cost-cur2-00004.snappy.parquet',
    ]);
    expect(result.manifests.map(rel)).toEqual([
      'bedrock-cost-cur2/metadata/BILLING_PERIOD=2026-04/bedrock-cost-cur2-Manifest.json',
    ]);
    expect(rel(result.expectedPath)).toBe('bedrock-cost-cur2/expected.json');
    expect((await stat(result.dataFiles[3] as string)).size).toBe(0);
  });

  it('lists exactly the data files in the manifest, as s3:// URIs under data/', async () => {
    const manifest = JSON.parse(await readFile(result.manifests[0] as string, 'utf8'));
    expect(manifest.dataFiles).toEqual(
      result.dataFiles.map((f) => `s3://example-cur-bucket/cur/${relative(join(dir, 'cur2'), f)}`),
    );
    expect(manifest).toMatchObject({
      exportName: 'bedrock-cost-cur2',
      bucket: 'example-cur-bucket',
      billingPeriod: { start: '2026-04-01T00:00:00.000Z', end: '2026-05-01T00:00:00.000Z' },
    });
    expect(manifest.executionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(manifest.exportARN).toMatch(
      /^arn:aws:bcm-data-exports:us-east-1:111111111111:export\/bedrock-cost-cur2-/,
    );
    expect(manifest.columns).toContainEqual({ name: 'resource_tags', type: 'map<string,string>' });
    expect(manifest.columns).toContainEqual({ name: 'line_item_usage_start_date', type: 'timestamp' });
  });

  it('has the fixed CUR 2.0 column set with MAP columns and Glue types', async () => {
    const files = list(result.dataFiles.slice(0, 3));
    // hive_partitioning off: the BILLING_PERIOD= folder is a partition, not a file column.
    const columns = await rowsOf(`DESCRIBE SELECT * FROM read_parquet(${files}, hive_partitioning = false)`);
    const types = Object.fromEntries(columns.map((c) => [c.column_name, c.column_type]));
    expect(columns.length).toBeGreaterThanOrEqual(120);
    expect(columns.length).toBeLessThanOrEqual(130);
    expect(types).toMatchObject({
      product: 'MAP(VARCHAR, VARCHAR)',
      resource_tags: 'MAP(VARCHAR, VARCHAR)',
      tags: 'MAP(VARCHAR, VARCHAR)',
      cost_category: 'MAP(VARCHAR, VARCHAR)',
      discount: 'MAP(VARCHAR, DOUBLE)',
      line_item_usage_start_date: 'TIMESTAMP',
      line_item_unblended_cost: 'DOUBLE',
      line_item_unblended_rate: 'VARCHAR',
      line_item_iam_principal: 'VARCHAR',
    });
    const manifest = JSON.parse(await readFile(result.manifests[0] as string, 'utf8'));
    expect(manifest.columns.map((c: { name: string }) => c.name)).toEqual(columns.map((c) => c.column_name));
  });

  it('Σ Bedrock cost under the CUDOS predicate equals expected.json, and so do the counts', async () => {
    const expected = JSON.parse(await readFile(result.expectedPath, 'utf8'));
    const sum = await bedrockSum(`read_parquet(${list(result.dataFiles.slice(0, 3))})`, CUDOS_CUR2);
    expect(sum.total).toBe(expected.bedrock.unblendedCost);
    expect(sum.count).toBe(expected.bedrock.lineItems);
    const [all] = await rowsOf(
      `SELECT count(*)::INTEGER AS n FROM read_parquet(${list(result.dataFiles.slice(0, 3))})`,
    );
    expect(all?.n).toBe(expected.totalRows);
    expect(expected.totalRows).toBe(6000);
  });

  it('writes tags in both maps, principal tags in tags, and leaves untagged keys absent', async () => {
    const files = list(result.dataFiles.slice(0, 3));
    const tagged =
      await rowsOf(`SELECT resource_tags['user_workload'] AS rt, tags['resourceTags/user:workload'] AS t
      FROM read_parquet(${files}) WHERE line_item_usage_type = 'USE1-MP:USE1_InputTokenCount-Units' LIMIT 1`);
    expect(tagged[0]).toEqual({ rt: 'support-bot', t: 'support-bot' });
    const principal = await rowsOf(`SELECT line_item_iam_principal AS p, tags['iamPrincipal/team'] AS team,
        cardinality(resource_tags)::INTEGER AS n
      FROM read_parquet(${files}) WHERE line_item_usage_type LIKE '%mantle-input-tokens%' AND line_item_usage_start_date >= '2026-04-08' LIMIT 1`);
    expect(principal[0]?.p).toMatch(/^arn:aws:sts::555555555555:assumed-role\/search-rerank-prod\//);
    expect(principal[0]).toMatchObject({ team: 'search', n: 0 });
    const untagged = await rowsOf(`SELECT count(*)::INTEGER AS n FROM read_parquet(${files})
      WHERE ${CUDOS_CUR2} AND line_item_line_item_type = 'Usage' AND NOT map_contains(resource_tags, 'user_workload')
        AND NOT map_contains(tags, 'iamPrincipal/workload')`);
    expect(Number(untagged[0]?.n)).toBeGreaterThan(0);
  });

  it('is byte-identical when generated again with the same seed', async () => {
    const again = await generateCur({ ...options, outDir: join(dir, 'cur2-again') });
    expect(await md5s(again.dataFiles)).toEqual(await md5s(result.dataFiles));
    expect(await md5s([...again.manifests, again.expectedPath])).toEqual(
      await md5s([...result.manifests, result.expectedPath]),
    );
  });
});

describe('legacy CUR deliveries', () => {
  it.each([
    ['legacy-parquet', false],
    ['legacy-csv', false],
    ['legacy-csv', true],
  ] as const)('%s (gzip %s): layout, manifest, columns and Σ Bedrock cost', async (format, gzip) => {
    // Prepare / Act
    const out = join(dir, `${format}-${gzip}`);
    const result = await generateCur({
      format,
      gzip,
      outDir: out,
      start: '2026-01-12',
      days: 6,
      rows: 4000,
      bedrockShare: 0.25,
    });
    const expected = JSON.parse(await readFile(result.expectedPath, 'utf8'));
    const manifest = JSON.parse(await readFile(result.manifests[0] as string, 'utf8'));
    // Assess: layout
    const ext = format === 'legacy-parquet' ? 'snappy.parquet' : gzip ? 'csv.gz' : 'csv';
    expect(result.dataFiles.map((f) => relative(out, f))).toEqual([
      `bedrock-cost-cur/20260101-20260201/bedrock-cost-cur-00001.${ext}`,
    ]);
    expect(relative(out, result.manifests[0] as string)).toBe(
      'bedrock-cost-cur/20260101-20260201/bedrock-cost-cur-Manifest.json',
    );
    expect(manifest.reportKeys).toEqual([
      `cur/bedrock-cost-cur/20260101-20260201/bedrock-cost-cur-00001.${ext}`,
    ]);
    expect(manifest.billingPeriod).toEqual({ start: '20260101T000000.000Z', end: '20260201T000000.000Z' });
    expect(manifest.columns).toContainEqual({
      category: 'lineItem',
      name: 'UsageType',
      type: 'OptionalString',
    });
    // Assess: content
    const file = result.dataFiles[0] as string;
    if (format === 'legacy-parquet') {
      const columns = await rowsOf(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
      const names = columns.map((c) => c.column_name);
      expect(names).toContain('resource_tags_user_workload');
      expect(names).toContain('product_region_code');
      expect(names).not.toContain('line_item_iam_principal');
      const sum = await bedrockSum(`read_parquet('${file}')`, CUDOS_LEGACY);
      expect(sum).toEqual({ count: expected.bedrock.lineItems, total: expected.bedrock.unblendedCost });
      const untagged = await rowsOf(`SELECT count(*)::INTEGER AS n FROM read_parquet('${file}')
        WHERE ${CUDOS_LEGACY} AND line_item_line_item_type = 'Usage' AND resource_tags_user_workload = ''`);
      expect(Number(untagged[0]?.n)).toBeGreaterThan(0);
    } else {
      const source = `read_csv('${file}', all_varchar = true, header = true)`;
      const header = (await rowsOf(`DESCRIBE SELECT * FROM ${source}`)).map((c) => c.column_name);
      expect(header.slice(0, 4)).toEqual([
        'identity/LineItemId',
        'identity/TimeInterval',
        'bill/InvoiceId',
        'bill/InvoicingEntity',
      ]);
      expect(header).toContain('resourceTags/user:Workload');
      const predicate = `("bill/BillingEntity" = 'AWS' AND "lineItem/ProductCode" IN ('AmazonBedrock', 'AmazonBedrockService',
        'AmazonBedrockFoundationModels', 'AmazonBedrockAgentCore'))
        OR ("bill/BillingEntity" = 'AWS Marketplace' AND "product/ProductName" LIKE '%Bedrock%')`;
      const sum = await bedrockSum(source, predicate, '"lineItem/UnblendedCost"');
      expect(sum).toEqual({ count: expected.bedrock.lineItems, total: expected.bedrock.unblendedCost });
      const samples = await rowsOf(`SELECT "lineItem/UsageAmount" AS a, "lineItem/UnblendedRate" AS r,
          "lineItem/UsageStartDate" AS s, "lineItem/ResourceId" AS id FROM ${source} WHERE ${predicate} LIMIT 50`);
      for (const row of samples) {
        expect(String(row.a)).toBe(javaDoubleText(String(row.a)));
        if (row.r !== null) expect(String(row.r)).toBe(javaDoubleText(String(row.r)));
        expect(String(row.s)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z$/);
      }
      const text = gzip ? '' : await readFile(file, 'utf8');
      if (!gzip) expect(text).not.toContain('""');
    }
  });
});

describe('legacy CSV number formatting', () => {
  it('the SQL macro prints the same text as javaDoubleText', async () => {
    // Prepare
    for (const macro of JAVA_NUMBER_MACROS) await db.run(macro);
    const values = [
      '8.85e-08',
      '0.02',
      '1.0',
      '0.00042',
      '12345678.0',
      '1e+22',
      '-1.5e-09',
      '0.0000600000',
      '24',
    ];
    // Act
    const rows = await rowsOf(
      `SELECT s, java_num(s) AS j FROM (SELECT unnest([${values.map((v) => `'${v}'`).join(', ')}]) AS s)`,
    );
    // Assess
    for (const row of rows) expect(row.j).toBe(javaDoubleText(String(row.s)));
  });
});

describe('schema drift', () => {
  it('can leave out line_item_iam_principal, line_item_resource_id and line_item_usage_account_name', async () => {
    const result = await generateCur({
      outDir: join(dir, 'drift'),
      days: 2,
      iamPrincipal: false,
      omitColumns: ['line_item_resource_id', 'line_item_usage_account_name'],
    });
    const columns = (await rowsOf(`DESCRIBE SELECT * FROM read_parquet('${result.dataFiles[0]}')`)).map(
      (c) => c.column_name,
    );
    expect(columns).not.toContain('line_item_iam_principal');
    expect(columns).not.toContain('line_item_resource_id');
    expect(columns).not.toContain('line_item_usage_account_name');
    expect(columns).toContain('line_item_usage_type');
  });
});

describe('bench shapes', () => {
  it('--lines-per-group puts that many added line items in one stage-1 group, daily', async () => {
    const options = { days: 2, rows: 5000, bedrockShare: 0.5, granularity: 'daily' as const };
    const spread = await generateCur({ ...options, outDir: join(dir, 'lpg-1') });
    const grouped = await generateCur({ ...options, outDir: join(dir, 'lpg-50'), linesPerGroup: 50 });
    const groups = async (r: GenerateResult) =>
      (
        await rowsOf(
          `SELECT count(*)::INTEGER AS lines, count(DISTINCT (line_item_usage_start_date, line_item_usage_type,
             line_item_resource_id, line_item_iam_principal, line_item_line_item_type, resource_tags, tags))::INTEGER AS keys
           FROM read_parquet(${list(r.dataFiles)}) WHERE ${CUDOS_CUR2}`,
        )
      )[0] as { lines: number; keys: number };
    const a = await groups(spread);
    const b = await groups(grouped);
    expect(b.lines).toBe(a.lines);
    // Each added line its own group by default; with 50 per group, groups shrink by an order of magnitude.
    expect(a.keys).toBeGreaterThan(a.lines * 0.8);
    expect(b.keys * 10).toBeLessThan(b.lines);
  }, 180_000);

  it('--cost-digits 17 writes usage costs of 16–17 significant digits, and expected.json still sums them', async () => {
    const result = await generateCur({ outDir: join(dir, 'digits-17'), days: 2, costDigits: 17 });
    const rows = await rowsOf(
      `SELECT CAST(line_item_unblended_cost AS VARCHAR) AS c FROM read_parquet(${list(result.dataFiles)})
       WHERE ${CUDOS_CUR2} AND line_item_line_item_type = 'Usage' AND line_item_unblended_cost <> 0`,
    );
    const significant = (text: string) =>
      text.replace(/e.*$/, '').replace(/[-.]/g, '').replace(/^0+/, '').length;
    const long = rows.filter((r) => significant(String(r.c)) >= 16).length;
    expect(rows.length).toBeGreaterThan(100);
    expect(long / rows.length).toBeGreaterThan(0.9);
    const expected = JSON.parse(await readFile(result.expectedPath, 'utf8'));
    const sum = await bedrockSum(`read_parquet(${list(result.dataFiles)})`, CUDOS_CUR2);
    expect(sum.total).toBe(expected.bedrock.unblendedCost);
  }, 180_000);
});

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

describe('committed fixture preset', () => {
  it('stays under 1 MB, is listed in fixtures/README.md and matches fixtures/cur byte for byte', async () => {
    // Prepare / Act
    const out = join(dir, 'committed');
    await writeCommittedFixtures(out);
    const files = await listFiles(out);
    // Assess
    const sizes = await Promise.all(files.map(async (f) => (await stat(join(out, f))).size));
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan(1_000_000);
    const readme = await readFile(join(import.meta.dirname, '../../fixtures/README.md'), 'utf8');
    for (const line of committedReadmeLines()) expect(readme).toContain(line);
    const committed = join(import.meta.dirname, '../../fixtures/cur');
    expect(await listFiles(committed)).toEqual(files);
    expect(await md5s(files.map((f) => join(committed, f)))).toEqual(
      await md5s(files.map((f) => join(out, f))),
    );
  });
});

describe('bedrock-cost fixtures generate', () => {
  it('writes a delivery and prints a JSON summary', async () => {
    // Prepare
    const out = join(dir, 'cli');
    const program = new Command('bedrock-cost').exitOverride();
    program.addCommand(fixturesCommand());
    const printed: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    // Act
    try {
      await program.parseAsync(
        [
          'fixtures',
          'generate',
          '--out',
          out,
          '--days',
          '3',
          '--rows',
          '2000',
          '--inject',
          'dev-in-prod@2026-06-02',
          '--json',
        ],
        { from: 'user' },
      );
    } finally {
      spy.mockRestore();
    }
    // Assess
    const summary = JSON.parse(printed.join(''));
    expect(summary).toMatchObject({ format: 'cur2', totalRows: 2000, exportName: 'bedrock-cost-cur2' });
    expect(summary.anomalies).toEqual([expect.objectContaining({ kind: 'dev-in-prod', day: '2026-06-02' })]);
    expect(summary.dataFiles).toEqual([
      'bedrock-cost-cur2/data/BILLING_PERIOD=2026-06/bedrock-cost-cur2-00001.snappy.parquet',
    ]);
    const expected = JSON.parse(await readFile(join(out, summary.expected), 'utf8'));
    expect(expected.bedrock.unblendedCost).toBe(summary.bedrockUnblendedCost);
  });
});
