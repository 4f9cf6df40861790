// The reference job for `make bench`: DuckDB alone runs the Bedrock filter + GROUP BY over the same files, in a
// whole Node process of its own, with the same thread count as the ingest. CUR 2.0 Parquet, or the legacy CUR as
// CSV (`lineItem/…` headers, types sniffed as DuckDB does by default).
//
// `--tags '<JSON array>'` adds tag values to the GROUP BY: keys of the `resource_tags` map (Parquet) or tag columns
// (CSV), as ingest-bench.mjs picks them (the tags the ingest attributes by). Issue 16 measured "DuckDB alone" so:
// "filter + GROUP BY of the same lines, tag values read from the maps". Without it: the filter + GROUP BY alone.
import { DuckDBInstance } from '@duckdb/node-api';

const [threads, ...rest] = process.argv.slice(2);
const tagged = rest[0] === '--tags';
const tags = tagged ? JSON.parse(rest[1]) : [];
const files = tagged ? rest.slice(2) : rest;
const quote = (text) => `'${text.replaceAll("'", "''")}'`;
const list = `[${files.map(quote).join(', ')}]`;
const CODES = `'AmazonBedrock', 'AmazonBedrockService', 'AmazonBedrockFoundationModels', 'AmazonBedrockAgentCore'`;
const csv = files.every((f) => /\.csv(\.gz)?$/.test(f));
const tagValues = tags
  .map((tag) => (csv ? `"${tag.replaceAll('"', '""')}"` : `resource_tags[${quote(tag)}]`))
  .map((value) => `${value}, `)
  .join('');
const query = csv
  ? `
  SELECT CAST("lineItem/UsageStartDate" AS DATE) AS usage_date, "lineItem/UsageAccountId", "lineItem/UsageType",
         "lineItem/Operation", "lineItem/LineItemType", ${tagValues}SUM(CAST("lineItem/UsageAmount" AS DOUBLE)) AS usage_amount,
         SUM(CAST("lineItem/UnblendedCost" AS DOUBLE)) AS cost, COUNT(*) AS line_items
  FROM read_csv(${list}, header = true, union_by_name = true)
  WHERE ("bill/BillingEntity" = 'AWS' AND "lineItem/ProductCode" IN (${CODES}))
     OR ("bill/BillingEntity" = 'AWS Marketplace' AND "product/ProductName" LIKE '%Bedrock%')
  GROUP BY ALL`
  : `
  SELECT CAST(line_item_usage_start_date AS DATE) AS usage_date, line_item_usage_account_id, line_item_usage_type,
         line_item_operation, line_item_line_item_type, ${tagValues}SUM(line_item_usage_amount) AS usage_amount,
         SUM(line_item_unblended_cost) AS cost, COUNT(*) AS line_items
  FROM read_parquet(${list}, union_by_name = true)
  WHERE (bill_billing_entity = 'AWS' AND line_item_product_code IN (${CODES}))
     OR (bill_billing_entity = 'AWS Marketplace' AND product['product_name'] LIKE '%Bedrock%')
  GROUP BY ALL`;
const instance = await DuckDBInstance.create(':memory:', { threads });
const connection = await instance.connect();
const reader = await connection.runAndReadAll(query);
process.stdout.write(`${JSON.stringify({ groups: reader.currentRowCount })}\n`);
connection.closeSync();
instance.closeSync();
