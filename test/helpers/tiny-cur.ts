import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { sqlString, withDuckDb } from '../../src/adapters/duckdb/duckdb.js';

/** One hand-written CUR line item; absent fields become NULL / empty. */
export interface TinyLine {
  day: string;
  account?: string;
  accountName?: string;
  entity?: 'AWS' | 'AWS Marketplace';
  /** null: no product code (the column is NULL). */
  productCode?: string | null;
  productName?: string;
  usageType: string;
  operation?: string;
  unit?: string;
  description?: string;
  resourceId?: string;
  type?: string;
  principal?: string;
  amount: string;
  cost: string;
  /** CUR 2.0 resource_tags keys without `user_` (legacy: resource_tags_user_<key> columns). */
  tags?: Record<string, string>;
  /** CUR 2.0 `tags` map entries, e.g. { 'iamPrincipal/team': 'search' }. */
  tagMap?: Record<string, string>;
  /** Billing period YYYY-MM (default: the month of `day`). */
  period?: string;
  /** Usage start / end instants (default: `day` 00:00 and one day later), e.g. a Tax line spanning the month. */
  start?: string;
  end?: string;
}

/** Line items stage 1 must leave out: another service, and a Marketplace listing that is not Bedrock. */
export const EC2_LINE: TinyLine = {
  day: '2026-06-04',
  usageType: 'USE1-BoxUsage:m5.large',
  productCode: 'AmazonEC2',
  amount: '24',
  cost: '2.304',
};
export const OTHER_MARKETPLACE_LINE: TinyLine = {
  day: '2026-06-04',
  entity: 'AWS Marketplace',
  productCode: 'abc',
  productName: 'Some Other Listing',
  usageType: 'USE1-MP:Whatever-Units',
  amount: '1',
  cost: '99',
};

const PAYER = '999988887777';

function mapLiteral(entries: Record<string, string> | undefined): string {
  const pairs = Object.entries(entries ?? {});
  if (pairs.length === 0) return 'MAP {}::MAP(VARCHAR, VARCHAR)';
  return `MAP {${pairs.map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`).join(', ')}}`;
}

const text = (v: string | undefined) => (v === undefined ? 'NULL' : sqlString(v));

/** Writes a tiny CUR 2.0 Parquet file; `omit` drops optional columns to imitate schema drift. */
export async function writeTinyCur2(
  path: string,
  lines: readonly TinyLine[],
  omit: readonly string[] = [],
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const rows = lines.map((l) => {
    const columns: Record<string, string> = {
      bill_billing_entity: sqlString(l.entity ?? 'AWS'),
      bill_payer_account_id: sqlString(PAYER),
      bill_billing_period_start_date: `TIMESTAMP '${l.period ?? l.day.slice(0, 7)}-01 00:00:00'`,
      line_item_usage_account_id: sqlString(l.account ?? '111122223333'),
      line_item_usage_account_name: text(l.accountName),
      line_item_usage_start_date: l.start ? `TIMESTAMP '${l.start}'` : `TIMESTAMP '${l.day} 00:00:00'`,
      line_item_usage_end_date: l.end
        ? `TIMESTAMP '${l.end}'`
        : `TIMESTAMP '${l.day} 00:00:00' + INTERVAL 1 DAY`,
      line_item_product_code: l.productCode === null ? 'NULL' : sqlString(l.productCode ?? 'AmazonBedrock'),
      line_item_usage_type: sqlString(l.usageType),
      line_item_operation: text(l.operation),
      line_item_line_item_type: sqlString(l.type ?? 'Usage'),
      line_item_line_item_description: text(l.description),
      line_item_resource_id: text(l.resourceId),
      line_item_iam_principal: text(l.principal),
      line_item_usage_amount: `${l.amount}::DOUBLE`,
      line_item_unblended_cost: `${l.cost}::DOUBLE`,
      line_item_net_unblended_cost: `${l.cost}::DOUBLE`,
      pricing_unit: text(l.unit),
      product: `MAP {'product_name': ${sqlString(l.productName ?? 'Amazon Bedrock')}, 'region': 'us-east-1'}`,
      product_region_code: sqlString('us-east-1'),
      resource_tags: mapLiteral(
        Object.fromEntries(Object.entries(l.tags ?? {}).map(([k, v]) => [`user_${k}`, v])),
      ),
      tags: mapLiteral(l.tagMap),
    };
    for (const name of omit) delete columns[name];
    return `SELECT ${Object.entries(columns)
      .map(([k, v]) => `${v} AS ${k}`)
      .join(', ')}`;
  });
  await withDuckDb((db) =>
    db.run(`COPY (${rows.join(' UNION ALL ')}) TO ${sqlString(path)} (FORMAT parquet)`),
  );
}

/** Writes a tiny legacy CUR CSV with the real export's header style (`lineItem/UsageType`). */
export async function writeTinyLegacyCsv(path: string, lines: readonly TinyLine[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tagKeys = [...new Set(lines.flatMap((l) => Object.keys(l.tags ?? {})))].sort();
  const headers = [
    'identity/TimeInterval',
    'bill/BillingEntity',
    'bill/PayerAccountId',
    'bill/BillingPeriodStartDate',
    'lineItem/UsageAccountId',
    'lineItem/LineItemType',
    'lineItem/UsageStartDate',
    'lineItem/UsageEndDate',
    'lineItem/ProductCode',
    'lineItem/UsageType',
    'lineItem/Operation',
    'lineItem/ResourceId',
    'lineItem/UsageAmount',
    'lineItem/UnblendedCost',
    'lineItem/LineItemDescription',
    'product/ProductName',
    'product/region',
    'pricing/unit',
    ...tagKeys.map((k) => `resourceTags/user:${k}`),
  ];
  const quote = (v: string) => (/[",]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const body = lines.map((l) =>
    [
      `${l.day}T00:00:00Z/${l.day}T01:00:00Z`,
      l.entity ?? 'AWS',
      PAYER,
      `${l.period ?? l.day.slice(0, 7)}-01T00:00:00.000Z`,
      l.account ?? '111122223333',
      l.type ?? 'Usage',
      l.start ?? `${l.day}T00:00:00.000Z`,
      l.end ?? `${l.day}T23:00:00.000Z`,
      l.productCode ?? 'AmazonBedrock',
      l.usageType,
      l.operation ?? '',
      l.resourceId ?? '',
      l.amount,
      l.cost,
      l.description ?? '',
      l.productName ?? 'Amazon Bedrock',
      'us-east-1',
      l.unit ?? '',
      ...tagKeys.map((k) => l.tags?.[k] ?? ''),
    ]
      .map(quote)
      .join(','),
  );
  await writeFile(path, `${headers.join(',')}\n${body.join('\n')}\n`);
}

/** A CUR 2.0 manifest for the given data files, in the layout AWS writes. */
export async function writeCur2Manifest(
  exportRoot: string,
  exportName: string,
  period: string,
  files: readonly string[],
) {
  const path = `${exportRoot}/metadata/BILLING_PERIOD=${period}/${exportName}-Manifest.json`;
  await mkdir(dirname(path), { recursive: true });
  const dataFiles = files.map((f) => `s3://bucket/cur/${exportName}/data/BILLING_PERIOD=${period}/${f}`);
  await writeFile(path, JSON.stringify({ executionId: `exec-${files.length}`, dataFiles }, null, 2));
  return path;
}

export const dataFilePath = (exportRoot: string, period: string, file: string) =>
  `${exportRoot}/data/BILLING_PERIOD=${period}/${file}`;

/**
 * One Nova Lite input-token line per workload and day of `period` (days 1..`days`): `spikes[workload][day]`
 * is that day's cost, $40 unless listed.
 */
export function monthOfLines(
  period: string,
  days: number,
  spikes: Record<string, Record<number, string>>,
): TinyLine[] {
  const lines: TinyLine[] = [];
  for (let d = 1; d <= days; d++) {
    for (const workload of Object.keys(spikes)) {
      lines.push(
        bedrockUsage(`${period}-${String(d).padStart(2, '0')}`, spikes[workload]![d] ?? '40', workload),
      );
    }
  }
  return lines;
}

/** A first-party Bedrock input-token usage line of `cost` USD on `day` for `workload` ($0.0001 per 1K tokens). */
export function bedrockUsage(day: string, cost: string, workload = 'search'): TinyLine {
  return {
    day,
    usageType: 'USE1-NovaLite-input-tokens',
    unit: '1K tokens',
    amount: String(Number(cost) * 10_000),
    cost,
    tags: { workload },
  };
}

/** A line AWS bills for the whole month from its first hour (tax, RI fee, recurring SP fee): it ends with the period. */
export function monthSpanning(period: string, line: Omit<TinyLine, 'day' | 'start' | 'end'>): TinyLine {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
  return { ...line, day: `${period}-01`, start: `${period}-01 00:00:00`, end: `${next}-01 00:00:00` };
}
