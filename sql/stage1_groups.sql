-- stage1_groups: the stage-1 GROUP BY over {{lines}} (the output of sql/<format>/bedrock_lines.sql), and in the
-- same pass Σ Bedrock line-item cost and count per billing period, which ingest reconciles the facts against to
-- 1e-6 USD. GROUPING SETS keeps the two aggregations independent: the totals are summed from the lines, not from
-- the groups, and neither engine reads the lines twice. Engine-neutral: DuckDB runs it locally, Athena at scale.
-- No business logic: usage types, units, models and attribution are interpreted in TypeScript (src/core/normalize).
-- Output: the 19 grouping columns ({{group_columns}}: STAGE1_COLUMNS in src/adapters/cur-sql/stage1-columns.ts),
-- the exact DECIMAL(38,15) sums, line_items ({{line_count}}: COUNT(*) over lines, SUM(line_items) over lines
-- already grouped), and is_period_total: 1 on the per-period totals rows, whose grouping
-- columns other than billing_period are NULL.
SELECT
  {{group_columns}},
  SUM(usage_amount) AS usage_amount,
  SUM(cost_unblended) AS cost_unblended,
  SUM(cost_net) AS cost_net,
  {{line_count}} AS line_items,
  GROUPING(usage_date) AS is_period_total
FROM {{lines}}
GROUP BY GROUPING SETS (({{group_columns}}), (billing_period))
