-- series/workload_model: usage (no commitment fees, credits, refunds or tax) by workload × model × day, the
-- series spend-spike (model level), verbose-output and cache-regression judge. One of the rule-series
-- statements (src/core/rules/rule-series.ts SERIES_GRAINS names the columns); runs on DuckDB over the fact
-- Parquet files and on Athena over the Glue fact table. Columns are read by name.
-- Placeholders: {{facts}} the fact relation; {{from}} {{to}} first/last usage day and {{from_period}}
-- {{to_period}} their billing periods (quoted literals); the usage-kind and line-item-type lists come from
-- src/core/facts/fact-filters.ts.
-- Token counts are summed as DOUBLE: they are whole numbers, so every partial sum below 2^53 (nine quadrillion
-- tokens a series-day) is exact in any order, and SUM(BIGINT) widens to a 128-bit sum that cost about 40% more CPU.
SELECT
  workload,
  model,
  usage_date,
  SUM(CASE WHEN usage_kind = 'input' THEN CAST(tokens AS DOUBLE) ELSE 0 END) AS tokens_input,
  SUM(CASE WHEN usage_kind = 'output' THEN CAST(tokens AS DOUBLE) ELSE 0 END) AS tokens_output,
  SUM(CASE WHEN usage_kind = 'cache_read' THEN CAST(tokens AS DOUBLE) ELSE 0 END) AS tokens_cache_read,
  SUM(CASE WHEN usage_kind IN ({{input_side_usage_kinds}}) THEN CAST(tokens AS DOUBLE) ELSE 0 END) AS tokens_input_side,
  SUM(cost_unblended) AS usage_cost_unblended,
  SUM(cost_net) AS usage_cost_net,
  SUM(CASE WHEN usage_kind = 'output' THEN cost_unblended ELSE 0 END) AS output_cost_unblended,
  SUM(CASE WHEN usage_kind = 'output' THEN cost_net ELSE 0 END) AS output_cost_net,
  SUM(CASE WHEN usage_kind = 'input' THEN cost_unblended ELSE 0 END) AS input_cost_unblended,
  SUM(CASE WHEN usage_kind = 'input' THEN cost_net ELSE 0 END) AS input_cost_net,
  SUM(CASE WHEN usage_kind = 'cache_read' THEN cost_unblended ELSE 0 END) AS cache_read_cost_unblended,
  SUM(CASE WHEN usage_kind = 'cache_read' THEN cost_net ELSE 0 END) AS cache_read_cost_net,
  SUM(CASE WHEN usage_kind IN ({{input_side_usage_kinds}}) THEN cost_unblended ELSE 0 END) AS input_side_cost_unblended,
  SUM(CASE WHEN usage_kind IN ({{input_side_usage_kinds}}) THEN cost_net ELSE 0 END) AS input_side_cost_net
FROM {{facts}}
WHERE billing_period BETWEEN {{from_period}} AND {{to_period}}
  AND usage_date BETWEEN {{from}} AND {{to}}
  AND line_item_type IN ({{usage_line_item_types}})
  AND usage_kind NOT IN ({{commitment_usage_kinds}})
GROUP BY workload, model, usage_date
