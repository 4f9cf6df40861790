-- stage1_groups_and_totals: sql/stage1_groups.sql and sql/bedrock_totals.sql in one pass over {{lines}}, for an
-- engine that would otherwise read the lines twice (DuckDB streams them from the Parquet scan). GROUPING SETS
-- keeps the two aggregations independent: the per-period totals are summed from the lines, not from the groups.
-- Output: the 19 grouping columns, the exact sums and line_items, and is_period_total (1 on the totals rows,
-- whose grouping columns other than billing_period are NULL).
SELECT
  usage_date, billing_period, payer_account, usage_account, usage_account_name, billing_entity,
  product_code, product_name, region, usage_type, operation, pricing_unit, item_description,
  resource_id, line_item_type, iam_principal, resource_tags, principal_tags, account_tags,
  SUM(usage_amount) AS usage_amount,
  SUM(cost_unblended) AS cost_unblended,
  SUM(cost_net) AS cost_net,
  COUNT(*) AS line_items,
  GROUPING(usage_date) AS is_period_total
FROM {{lines}}
GROUP BY GROUPING SETS (
  (usage_date, billing_period, payer_account, usage_account, usage_account_name, billing_entity,
   product_code, product_name, region, usage_type, operation, pricing_unit, item_description,
   resource_id, line_item_type, iam_principal, resource_tags, principal_tags, account_tags),
  (billing_period)
)
