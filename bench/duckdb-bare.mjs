// The reference job for `make bench`: DuckDB alone runs the bare Bedrock filter + GROUP BY over the same
// files, in a whole Node process of its own, with the same thread count as the ingest. CUR 2.0 Parquet, or the
// legacy CUR as CSV (`lineItem/…` headers, types sniffed as DuckDB does by default).
import { DuckDBInstance } from '@duckdb/node-api';

const [threads, ...files] = process.argv.slice(2);
const list = `[${files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')}]`;
const CODES = `'AmazonBedrock', 'AmazonBedrockService', 'AmazonBedrockFoundationModels', 'AmazonBedrockAgentCore'`;
const query = files.every((f) => /\.csv(\.gz)?$/.test(f))
  ? `
  SELECT CAST("lineItem/UsageStartDate" AS DATE) AS usage_date, "lineItem/UsageAccountId", "lineItem/UsageType",
         "lineItem/Operation", "lineItem/LineItemType", SUM(CAST("lineItem/UsageAmount" AS DOUBLE)) AS usage_amount,
         SUM(CAST("lineItem/UnblendedCost" AS DOUBLE)) AS cost, COUNT(*) AS line_items
  FROM read_csv(${list}, header = true, union_by_name = true)
  WHERE ("bill/BillingEntity" = 'AWS' AND "lineItem/ProductCode" IN (${CODES}))
     OR ("bill/BillingEntity" = 'AWS Marketplace' AND "product/ProductName" LIKE '%Bedrock%')
  GROUP BY ALL`
  : `
  SELECT CAST(line_item_usage_start_date AS DATE) AS usage_date, line_item_usage_account_id, line_item_usage_type,
         line_item_operation, line_item_line_item_type, SUM(line_item_usage_amount) AS usage_amount,
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
