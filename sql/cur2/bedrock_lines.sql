-- bedrock_lines (CUR 2.0 / Data Exports): every Bedrock line item of the delivery, projected to the
-- columns stage 1 groups by. Both billing paths: first party (billing entity AWS, Bedrock product codes)
-- and AWS Marketplace (product name "<Model> (Amazon Bedrock Edition)"), as CUDOS selects them.
-- Relation: {{source}} exposes the export's columns with their CUR 2.0 names and types.
-- Money and usage: {{usage_amount}} {{cost_unblended}} {{cost_net}} are each column's exact DECIMAL(38, 15), the
-- shortest decimal that reads back as the same double (DESIGN §3.4); a direct DOUBLE → DECIMAL cast would keep
-- binary noise (54130.673382 → …000001024). Athena fills them through the text form, DuckDB with arithmetic
-- proven equal (src/adapters/cur-sql/exact-decimal.ts); {{cost_net}} falls back to the unblended cost.
-- Placeholders for columns an export may lack (schema drift), filled with the column or NULL:
--   {{operation}} {{pricing_unit}} {{item_description}} {{resource_id}} {{usage_account_name}}
--   {{iam_principal}} {{region_code}}
-- The product map's fields {{product_name}} {{product_region}}, each engine's map lookup (a missing key reads as
-- NULL; DuckDB's m['k'] does that, Trino's fails, so Athena fills them with element_at).
-- Tag placeholders, JSON arrays of [normalised key, value] built from the `resource_tags` and `tags` maps:
--   {{resource_tags}} {{principal_tags}} {{account_tags}}. DuckDB fills them with the maps themselves and
--   builds the pairs once per distinct map after grouping (src/adapters/duckdb/bedrock-scan.ts).
SELECT
  CAST(CAST(line_item_usage_start_date AS DATE) AS VARCHAR) AS usage_date,
  substr(CAST(CAST(bill_billing_period_start_date AS DATE) AS VARCHAR), 1, 7) AS billing_period,
  bill_payer_account_id AS payer_account,
  line_item_usage_account_id AS usage_account,
  {{usage_account_name}} AS usage_account_name,
  bill_billing_entity AS billing_entity,
  line_item_product_code AS product_code,
  {{product_name}} AS product_name,
  COALESCE(NULLIF({{region_code}}, ''), NULLIF({{product_region}}, '')) AS region,
  COALESCE(line_item_usage_type, '') AS usage_type,
  {{operation}} AS operation,
  {{pricing_unit}} AS pricing_unit,
  {{item_description}} AS item_description,
  {{resource_id}} AS resource_id,
  line_item_line_item_type AS line_item_type,
  {{iam_principal}} AS iam_principal,
  {{resource_tags}} AS resource_tags,
  {{principal_tags}} AS principal_tags,
  {{account_tags}} AS account_tags,
  COALESCE({{usage_amount}}, 0) AS usage_amount,
  COALESCE({{cost_unblended}}, 0) AS cost_unblended,
  COALESCE({{cost_net}}, 0) AS cost_net
FROM {{source}}
WHERE (bill_billing_entity = 'AWS'
       AND line_item_product_code IN ('AmazonBedrock', 'AmazonBedrockService',
                                      'AmazonBedrockFoundationModels', 'AmazonBedrockAgentCore'))
   OR (bill_billing_entity = 'AWS Marketplace' AND {{product_name}} LIKE '%Bedrock%')
