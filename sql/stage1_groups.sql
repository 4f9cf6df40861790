-- stage1_groups: the stage-1 GROUP BY over {{lines}} (the output of sql/<format>/bedrock_lines.sql).
-- Engine-neutral: DuckDB runs it locally, Athena at scale. No business logic: usage types, units, models
-- and attribution are interpreted in TypeScript (src/core/normalize).
-- Output: the 19 grouping columns of bedrock_lines plus usage_amount, cost_unblended, cost_net (exact
-- DECIMAL(38,15) sums) and line_items.
SELECT
  usage_date, billing_period, payer_account, usage_account, usage_account_name, billing_entity,
  product_code, product_name, region, usage_type, operation, pricing_unit, item_description,
  resource_id, line_item_type, iam_principal, resource_tags, principal_tags, account_tags,
  SUM(usage_amount) AS usage_amount,
  SUM(cost_unblended) AS cost_unblended,
  SUM(cost_net) AS cost_net,
  COUNT(*) AS line_items
FROM {{lines}}
GROUP BY
  usage_date, billing_period, payer_account, usage_account, usage_account_name, billing_entity,
  product_code, product_name, region, usage_type, operation, pricing_unit, item_description,
  resource_id, line_item_type, iam_principal, resource_tags, principal_tags, account_tags
