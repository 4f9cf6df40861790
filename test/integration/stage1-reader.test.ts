import { mkdtemp, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readStage1 } from '../../src/adapters/duckdb/stage1-reader.js';
import { InputError } from '../../src/core/errors.js';
import { formatMoney } from '../../src/core/money.js';
import {
  EC2_LINE,
  OTHER_MARKETPLACE_LINE,
  type TinyLine,
  writeTinyCur2,
  writeTinyLegacyCsv,
} from '../helpers/tiny-cur.js';

const TAG_KEYS = ['workload', 'team', 'environment', 'costcenter'];
const ref = (path: string) => ({ path, label: path });

const LINES: TinyLine[] = [
  {
    day: '2026-06-03',
    usageType: 'USE1-NovaLite-input-tokens',
    unit: '1K tokens',
    amount: '12500',
    cost: '0.75',
    operation: 'InvokeModelInference',
    tags: { Workload: 'support-bot', environment: 'prod' },
  },
  {
    day: '2026-06-03',
    usageType: 'USE1-NovaLite-input-tokens',
    unit: '1K tokens',
    amount: '100',
    cost: '0.006',
    operation: 'InvokeModelStreamingInference',
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
    principal: 'arn:aws:sts::111122223333:assumed-role/support-bot-prod/i-0abc',
    tagMap: {
      'iamPrincipal/team': 'support',
      'resourceTags/user:cost-center': 'cc-42',
      'accountTag/env': 'prod',
    },
  },
  { day: '2026-06-03', usageType: '', type: 'Tax', amount: '1', cost: '0.000000001800', unit: '' },
  EC2_LINE,
  OTHER_MARKETPLACE_LINE,
];

describe('stage 1 on DuckDB', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bc-stage1-'));
  });

  it('keeps both billing paths, drops other services, groups operations, sums exactly (CUR 2.0)', async () => {
    const file = join(dir, 'cur2.parquet');
    await writeTinyCur2(file, LINES);
    const result = await readStage1([ref(file)], { tagKeys: TAG_KEYS });
    expect(result.format).toBe('cur2');
    expect(result.rowsRead).toBe(6);
    // 0.75 + 0.006 + 12.6 + 0.0000000018: the EC2 line and the non-Bedrock Marketplace listing are excluded.
    expect(result.totals.map((t) => [t.billingPeriod, formatMoney(t.costUnblended), t.lineItems])).toEqual([
      ['2026-06', '13.3560000018', 4],
    ]);
    const nova = result.rows.filter((r) => r.usageType === 'USE1-NovaLite-input-tokens');
    expect(nova).toHaveLength(2); // two operations stay separate groups in stage 1
    expect(nova[0]!.resourceTags).toEqual([
      ['environment', 'prod'],
      ['workload', 'support-bot'],
    ]);
    const claude = result.rows.find((r) => r.billingEntity === 'AWS Marketplace')!;
    expect(claude.productName).toBe('Claude Sonnet 4.6 (Amazon Bedrock Edition)');
    expect(claude.principalTags).toEqual([['team', 'support']]);
    expect(claude.resourceTags).toEqual([['costcenter', 'cc-42']]);
    expect(claude.accountTags).toEqual([]); // `env` is not in the key list given here
    expect(claude.iamPrincipal).toContain('assumed-role/support-bot-prod');
    expect(claude.usageAmount).toBe('42.000000000000000');
    const tax = result.rows.find((r) => r.lineItemType === 'Tax')!;
    expect(tax.costUnblended).toBe('0.000000001800000');
  });

  it('keeps Marketplace Bedrock lines whatever their product code, and only those (CUR 2.0)', async () => {
    const marketplace = (productCode: string | null, productName: string, cost: string): TinyLine => ({
      day: '2026-06-04',
      entity: 'AWS Marketplace',
      productCode,
      productName,
      usageType: 'USE1-MP:USE1_InputTokenCount-Units',
      unit: 'Units',
      amount: '1',
      cost,
    });
    const lines = [
      ...LINES,
      // the same opaque code as a Bedrock listing, but not Bedrock: excluded
      marketplace('4a524th30q694o538qndh9ucht', 'Some Other Listing', '1000'),
      marketplace('zz9', 'Claude 3 Haiku (Amazon Bedrock Edition)', '0.5'),
    ];
    const withCodes = join(dir, 'cur2-codes.parquet');
    await writeTinyCur2(withCodes, lines);
    const coded = await readStage1([ref(withCodes)], { tagKeys: TAG_KEYS });
    expect(coded.totals.map((t) => [formatMoney(t.costUnblended), t.lineItems])).toEqual([
      ['13.8560000018', 5],
    ]);

    // A Marketplace Bedrock line without a product code is still found (one scan per billing path then).
    const withoutCode = join(dir, 'cur2-no-code.parquet');
    await writeTinyCur2(withoutCode, [
      ...lines,
      marketplace(null, 'Claude 3 Haiku (Amazon Bedrock Edition)', '2'),
    ]);
    const uncoded = await readStage1([ref(withoutCode)], { tagKeys: TAG_KEYS });
    expect(uncoded.totals.map((t) => [formatMoney(t.costUnblended), t.lineItems])).toEqual([
      ['15.8560000018', 6],
    ]);
    expect(uncoded.rows.filter((r) => r.productCode === null)).toHaveLength(1);
  });

  it('tolerates missing optional columns (schema drift)', async () => {
    const file = join(dir, 'drift.parquet');
    await writeTinyCur2(file, LINES, [
      'line_item_iam_principal',
      'line_item_resource_id',
      'line_item_usage_account_name',
      'line_item_net_unblended_cost',
      'tags',
      'pricing_unit',
    ]);
    const result = await readStage1([ref(file)], { tagKeys: TAG_KEYS });
    expect(result.rows.every((r) => r.iamPrincipal === null && r.resourceId === null)).toBe(true);
    expect(result.totals[0]!.lineItems).toBe(4);
    expect(formatMoney(result.totals[0]!.costNet)).toBe(formatMoney(result.totals[0]!.costUnblended));
  });

  it('names the file and the missing required column', async () => {
    const file = join(dir, 'no-usage-type.parquet');
    await writeTinyCur2(file, LINES, ['line_item_usage_type']);
    await expect(readStage1([ref(file)], { tagKeys: TAG_KEYS })).rejects.toThrow(
      `${file}: missing required column line_item_usage_type (CUR 2.0)`,
    );
  });

  it('reads legacy CSV headers, scientific notation and empty tag cells', async () => {
    const file = join(dir, 'legacy.csv');
    await writeTinyLegacyCsv(file, [
      {
        day: '2026-06-03',
        usageType: 'USE1-NovaLite-input-tokens',
        unit: '1K tokens',
        amount: '1.25E4',
        cost: '7.5E-1',
        tags: { Workload: 'bot', Team: '' },
      },
      { day: '2026-06-03', usageType: '', type: 'Tax', amount: '1', cost: '1.8E-9' },
    ]);
    const result = await readStage1([ref(file)], { tagKeys: TAG_KEYS });
    expect(result.format).toBe('legacy');
    expect(formatMoney(result.totals[0]!.costUnblended)).toBe('0.7500000018');
    const row = result.rows.find((r) => r.usageType !== '')!;
    expect(row.resourceTags).toEqual([['workload', 'bot']]);
    expect(row.usageAmount).toBe('12500.000000000000000');
    expect(result.newestUsageEnd).toBe('2026-06-03T23:00:00Z');
  });

  it('finds an empty cost cell on a Bedrock line of a CSV in the statistics pass, in one period or several', async () => {
    const bedrock = { usageType: 'USE1-NovaLite-input-tokens', amount: '10', cost: '0.5' };
    const ec2NoCost = { ...EC2_LINE, cost: '' };
    const ok = join(dir, 'other-service-empty-cost.csv');
    await writeTinyLegacyCsv(ok, [{ day: '2026-06-03', ...bedrock }, { ...ec2NoCost }]);
    const read = await readStage1([ref(ok)], { tagKeys: TAG_KEYS });
    expect(formatMoney(read.totals[0]!.costUnblended)).toBe('0.5');
    for (const period of ['2026-06', '2026-05']) {
      const bad = join(dir, `bedrock-empty-cost-${period}.csv`);
      await writeTinyLegacyCsv(bad, [
        { day: '2026-06-03', ...bedrock, period },
        { day: '2026-06-03', ...bedrock },
        { day: '2026-06-04', ...bedrock, cost: '' },
      ]);
      await expect(readStage1([ref(bad)], { tagKeys: TAG_KEYS })).rejects.toThrow(
        `${bad}: data row 3: column lineItem/UnblendedCost is empty on a Bedrock line item`,
      );
    }
  });

  it('gathers the same delivery statistics from a legacy CSV in its one pass as from Parquet in a pass of their own', async () => {
    // Two periods; in 2026-06 a Bedrock line and an EC2 line dated outside it (counted), a credit dated outside it
    // (an adjustment: not counted) and the newest running usage; a Bedrock tax line in 2026-05.
    const at = (day: string, hours = 1) => ({
      start: `${day} 00:00:00`,
      end: `${day} ${String(hours).padStart(2, '0')}:00:00`,
    });
    const lines: TinyLine[] = [
      {
        day: '2026-06-03',
        ...at('2026-06-03'),
        usageType: 'USE1-NovaLite-input-tokens',
        amount: '10',
        cost: '0.5',
      },
      {
        day: '2026-05-31',
        ...at('2026-05-31'),
        period: '2026-06',
        usageType: 'USE1-NovaLite-input-tokens',
        amount: '4',
        cost: '0.2',
      },
      {
        day: '2026-05-20',
        ...at('2026-05-20'),
        period: '2026-06',
        type: 'Credit',
        usageType: 'USE1-NovaLite-input-tokens',
        amount: '0',
        cost: '-0.1',
      },
      { ...EC2_LINE, day: '2026-07-01', ...at('2026-07-01', 2), period: '2026-06' },
      { day: '2026-05-01', ...at('2026-05-01', 3), type: 'Tax', usageType: '', amount: '1', cost: '0.01' },
    ];
    const csv = join(dir, 'stats-one-pass.csv');
    const parquet = join(dir, 'stats-one-pass.parquet');
    await writeTinyLegacyCsv(csv, lines);
    await writeTinyCur2(parquet, lines);
    const [legacy, cur2] = await Promise.all([
      readStage1([ref(csv)], { tagKeys: TAG_KEYS }),
      readStage1([ref(parquet)], { tagKeys: TAG_KEYS }),
    ]);
    expect(legacy.format).toBe('legacy');
    expect(legacy.dataPeriods).toEqual([
      {
        billingPeriod: '2026-05',
        lineItems: 1,
        outsideLineItems: 0,
        outsideFirst: null,
        outsideLast: null,
        outsideTypes: [],
      },
      {
        billingPeriod: '2026-06',
        lineItems: 4,
        outsideLineItems: 2,
        outsideFirst: '2026-05-31T00:00:00Z',
        outsideLast: '2026-07-01T00:00:00Z',
        outsideTypes: ['Usage'],
      },
    ]);
    expect(legacy.rowsRead).toBe(5);
    expect(legacy.newestUsageEnd).toBe('2026-07-01T02:00:00Z');
    expect(legacy.dataPeriods).toEqual(cur2.dataPeriods);
    expect(legacy.newestUsageEnd).toBe(cur2.newestUsageEnd);
    expect(legacy.totals).toEqual(cur2.totals);
    expect(legacy.totals.map((t) => [t.billingPeriod, formatMoney(t.costUnblended), t.lineItems])).toEqual([
      ['2026-05', '0.01', 1],
      ['2026-06', '0.6', 3],
    ]);
  });

  it('reads a quoted field past the rows the CSV sniffer samples', async () => {
    const file = join(dir, 'late-quote.csv');
    const plain = Array.from({ length: 3000 }, () => ({
      day: '2026-06-03',
      usageType: 'USE1-NovaLite-input-tokens',
      amount: '1',
      cost: '0.001',
      description: 'plain',
    }));
    await writeTinyLegacyCsv(file, [
      ...plain,
      { ...plain[0]!, description: 'Nova Lite, input tokens "batch"', cost: '0.5' },
    ]);
    const result = await readStage1([ref(file)], { tagKeys: TAG_KEYS });
    expect(result.rowsRead).toBe(3001);
    expect(result.rows.map((r) => r.itemDescription).sort()).toEqual([
      'Nova Lite, input tokens "batch"',
      'plain',
    ]);
    expect(formatMoney(result.totals[0]!.costUnblended)).toBe('3.5');
  });

  // Real files from public repositories, committed with their provenance in fixtures/real/SOURCES.md.
  const REAL = join(import.meta.dirname, '../../fixtures/real');

  it('reads the real anonymized legacy CUR CSV sample: 1,281 rows, no Bedrock', async () => {
    const sample = join(REAL, 'legacy-cur-csv_anonymized_2023-11_focus-converters.csv');
    const result = await readStage1([ref(sample)], { tagKeys: TAG_KEYS });
    expect(result.format).toBe('legacy');
    expect(result.rowsRead).toBe(1281);
    expect(result.rows).toEqual([]);
    expect(result.totals).toEqual([]);
  });

  it('rejects the real FOCUS 1.0 sample as not a CUR, naming the file and the columns it expected', async () => {
    const sample = join(REAL, 'focus-1.0_sample_1000rows_finops-foundation.csv');
    const error = await readStage1([ref(sample)], { tagKeys: TAG_KEYS }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message.startsWith(`${sample}: not a Cost and Usage Report: `)).toBe(true);
    expect((error as Error).message).toContain('expected columns such as line_item_usage_type');
    expect((error as Error).message).toContain('billed_cost');
  });

  it('skips a zero-byte chunk and reports it', async () => {
    const good = join(dir, 'chunk-00001.snappy.parquet');
    const empty = join(dir, 'chunk-00002.snappy.parquet');
    await writeTinyCur2(good, LINES);
    await writeFile(empty, '');
    const result = await readStage1([ref(good), ref(empty)], { tagKeys: TAG_KEYS });
    expect(result.emptyFiles).toEqual([empty]);
    expect(result.totals[0]!.lineItems).toBe(4);
  });

  it.each([
    ['truncated', /truncated or corrupt Parquet file: the \d+-byte file has no footer/],
    ['not parquet', /not a Parquet file \(no "PAR1" magic bytes\); it starts with "line_item/],
    ['missing', /file does not exist/],
  ])('rejects a %s file, naming it', async (kind, message) => {
    const file = join(dir, `bad-${kind.replace(' ', '-')}.parquet`);
    if (kind === 'truncated') {
      await writeTinyCur2(file, LINES);
      const size = (await readFile(file)).length;
      await truncate(file, Math.floor(size / 2));
    } else if (kind === 'not parquet') {
      await writeFile(file, 'line_item_usage_type,cost\nx,1\n');
    }
    const error = await readStage1([ref(file)], { tagKeys: TAG_KEYS }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message.startsWith(`${file}: `)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('rejects a Parquet file that is not a CUR', async () => {
    const file = join(dir, 'foreign.parquet');
    const { withDuckDb, sqlString } = await import('../../src/adapters/duckdb/duckdb.js');
    await withDuckDb((db) =>
      db.run(`COPY (SELECT 1 AS id, 'x' AS name) TO ${sqlString(file)} (FORMAT parquet)`),
    );
    await expect(readStage1([ref(file)], { tagKeys: TAG_KEYS })).rejects.toThrow(
      `${file}: not a Cost and Usage Report: expected columns such as line_item_usage_type and bill_billing_entity, found id, name`,
    );
  });

  it('rejects a delivery mixing CUR 2.0 and legacy files', async () => {
    const { withDuckDb, sqlString, sqlIdentifier } = await import('../../src/adapters/duckdb/duckdb.js');
    const { athenaColumnName } = await import('../../src/adapters/cur-sql/csv-columns.js');
    const csv = join(dir, 'legacy-for-parquet.csv');
    const legacyParquet = join(dir, 'legacy.parquet');
    await writeTinyLegacyCsv(csv, LINES.slice(0, 1));
    const headers = (await readFile(csv, 'utf8')).split('\n')[0]!.split(',');
    const select = headers.map((h) => `${sqlIdentifier(h)} AS ${athenaColumnName(h)}`).join(', ');
    await withDuckDb((db) =>
      db.run(
        `COPY (SELECT ${select} FROM read_csv(${sqlString(csv)}, all_varchar = true)) TO ${sqlString(legacyParquet)} (FORMAT parquet)`,
      ),
    );
    const cur2 = join(dir, 'cur2-mix.parquet');
    await writeTinyCur2(cur2, LINES);
    await expect(readStage1([ref(cur2), ref(legacyParquet)], { tagKeys: TAG_KEYS })).rejects.toThrow(
      `${legacyParquet}: is legacy while other files of the delivery are cur2`,
    );
  });
});

describe('money conversion', () => {
  it('takes the shortest decimal form of each double, not its binary expansion', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bc-money-'));
    const file = join(dir, 'large.parquet');
    await writeTinyCur2(file, [
      {
        day: '2026-06-03',
        usageType: 'USE1-NovaLite-input-tokens',
        unit: '1K tokens',
        amount: '54130.673382',
        cost: '5198.25920899',
      },
    ]);
    const result = await readStage1([ref(file)], { tagKeys: TAG_KEYS });
    expect(result.rows[0]!.usageAmount).toBe('54130.673382000000000');
    expect(result.rows[0]!.costUnblended).toBe('5198.259208990000000');
  });
});
