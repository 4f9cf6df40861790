// The reference job for `make bench`: DuckDB alone runs the Bedrock filter + GROUP BY over the same files, in a
// whole Node process of its own, with the same thread count as the ingest. CUR 2.0 Parquet, or the legacy CUR as
// CSV (`lineItem/…` headers, types sniffed as DuckDB does by default).
//
// By default the GROUP BY also reads the values of the cost-allocation tags the ingest attributes by (the first key
// of each default `attribution.tag_keys` dimension: workload, team, cost center, environment) out of the
// `resource_tags` map, or the legacy CSV's `resourceTags/user:…` columns: the job issue 16 measured "DuckDB alone"
// by ("filter + GROUP BY of the same lines, tag values read from the maps"). `--plain` leaves the tags out (the
// filter + GROUP BY alone, this benchmark's reference before that issue); the benchmark reports both ratios.
import { closeSync, openSync, readSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';

const [threads, ...rest] = process.argv.slice(2);
const plain = rest[0] === '--plain';
const files = plain ? rest.slice(1) : rest;
const list = `[${files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')}]`;
const CODES = `'AmazonBedrock', 'AmazonBedrockService', 'AmazonBedrockFoundationModels', 'AmazonBedrockAgentCore'`;
const TAG_KEYS = ['workload', 'team', 'cost_center', 'environment'];
const csv = files.every((f) => /\.csv(\.gz)?$/.test(f));

/** The header line of a CSV (of a gzip file, from its first 1 MiB). */
function csvHeader(file) {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(1 << 20);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    const bytes = buffer.subarray(0, read);
    const text = (file.endsWith('.gz') ? gunzipSync(bytes, { finishFlush: 2 }) : bytes).toString('utf8');
    return text.slice(0, text.indexOf('\n')).replace(/\r$/, '').split(',');
  } finally {
    closeSync(fd);
  }
}

const squash = (key) => key.toLowerCase().replace(/[^a-z0-9]/g, '');
const tagValues = plain
  ? []
  : csv
    ? [...new Set(files.flatMap(csvHeader))]
        .filter(
          (h) => h.startsWith('resourceTags/user:') && TAG_KEYS.map(squash).includes(squash(h.slice(18))),
        )
        .map((h) => `"${h.replaceAll('"', '""')}"`)
    : TAG_KEYS.map((key) => `resource_tags['user_${key}']`);
const tags = tagValues.map((value) => `${value}, `).join('');
const query = csv
  ? `
  SELECT CAST("lineItem/UsageStartDate" AS DATE) AS usage_date, "lineItem/UsageAccountId", "lineItem/UsageType",
         "lineItem/Operation", "lineItem/LineItemType", ${tags}SUM(CAST("lineItem/UsageAmount" AS DOUBLE)) AS usage_amount,
         SUM(CAST("lineItem/UnblendedCost" AS DOUBLE)) AS cost, COUNT(*) AS line_items
  FROM read_csv(${list}, header = true, union_by_name = true)
  WHERE ("bill/BillingEntity" = 'AWS' AND "lineItem/ProductCode" IN (${CODES}))
     OR ("bill/BillingEntity" = 'AWS Marketplace' AND "product/ProductName" LIKE '%Bedrock%')
  GROUP BY ALL`
  : `
  SELECT CAST(line_item_usage_start_date AS DATE) AS usage_date, line_item_usage_account_id, line_item_usage_type,
         line_item_operation, line_item_line_item_type, ${tags}SUM(line_item_usage_amount) AS usage_amount,
         SUM(line_item_unblended_cost) AS cost, COUNT(*) AS line_items
  FROM read_parquet(${list}, union_by_name = true)
  WHERE (bill_billing_entity = 'AWS' AND line_item_product_code IN (${CODES}))
     OR (bill_billing_entity = 'AWS Marketplace' AND product['product_name'] LIKE '%Bedrock%')
  GROUP BY ALL`;
const instance = await DuckDBInstance.create(':memory:', { threads });
const connection = await instance.connect();
const reader = await connection.runAndReadAll(query);
process.stdout.write(`${JSON.stringify({ groups: reader.currentRowCount, tag_values: tagValues.length })}\n`);
connection.closeSync();
instance.closeSync();
