-- bedrock_lines (legacy CUR, Parquet or CSV): every Bedrock line item of the delivery, projected to the
-- columns stage 1 groups by. Both billing paths, as in sql/cur2/bedrock_lines.sql.
-- Relation: {{source}} exposes Athena-style snake_case columns; CSV headers such as `lineItem/UsageType`
-- are renamed to `line_item_usage_type` (and `resourceTags/user:Team` to `resource_tags_user_team`)
-- before this runs. Legacy CUR has no IAM principal column, account names or account tags.
-- Money and usage: {{usage_amount}} {{cost_unblended}} {{cost_net}} are each column's exact DECIMAL(38, 15), the
-- shortest decimal that reads back as the same double (DESIGN §3.4); a direct DOUBLE → DECIMAL cast would keep
-- binary noise (54130.673382 → …000001024). Athena fills them through the text form, DuckDB with arithmetic
-- proven equal (src/adapters/cur-sql/exact-decimal.ts); {{cost_net}} falls back to the unblended cost.
-- Placeholders for columns a report may lack, filled with the column or NULL:
--   {{operation}} {{pricing_unit}} {{item_description}} {{resource_id}} {{region_code}} {{region_name}}
-- {{resource_tags}}: JSON array of [normalised key, value] built from the resource_tags_user_* columns.
SELECT
  CAST(CAST(line_item_usage_start_date AS DATE) AS VARCHAR) AS usage_date,
  substr(CAST(CAST(bill_billing_period_start_date AS DATE) AS VARCHAR), 1, 7) AS billing_period,
  bill_payer_account_id AS payer_account,
  line_item_usage_account_id AS usage_account,
  CAST(NULL AS VARCHAR) AS usage_account_name,
  bill_billing_entity AS billing_entity,
  line_item_product_code AS product_code,
  product_product_name AS product_name,
  COALESCE(NULLIF({{region_code}}, ''), NULLIF({{region_name}}, '')) AS region,
  COALESCE(line_item_usage_type, '') AS usage_type,
  {{operation}} AS operation,
  {{pricing_unit}} AS pricing_unit,
  {{item_description}} AS item_description,
  {{resource_id}} AS resource_id,
  line_item_line_item_type AS line_item_type,
  CAST(NULL AS VARCHAR) AS iam_principal,
  {{resource_tags}} AS resource_tags,
  '[]' AS principal_tags,
  '[]' AS account_tags,
  COALESCE({{usage_amount}}, 0) AS usage_amount,
  COALESCE({{cost_unblended}}, 0) AS cost_unblended,
  COALESCE({{cost_net}}, 0) AS cost_net
FROM {{source}}
WHERE (bill_billing_entity = 'AWS'
       AND line_item_product_code IN ('AmazonBedrock', 'AmazonBedrockService',
                                      'AmazonBedrockFoundationModels', 'AmazonBedrockAgentCore'))
   OR (bill_billing_entity = 'AWS Marketplace' AND product_product_name LIKE '%Bedrock%')
