-- series/workload: usage by workload × day, the series spend-spike (workload level) and model-mix-shift
-- judge: usage cost, tokens of every token kind, and the premium-tier (model catalog tier) part of them.
-- One of the rule-series statements; placeholders, and tokens summed as DOUBLE, as in series/workload_model.sql.
SELECT
  workload,
  usage_date,
  SUM(CASE WHEN usage_kind IN ({{token_usage_kinds}}) THEN CAST(tokens AS DOUBLE) ELSE 0 END) AS tokens,
  SUM(CASE WHEN usage_kind IN ({{token_usage_kinds}}) AND model_tier = 'premium' THEN CAST(tokens AS DOUBLE) ELSE 0 END) AS tokens_premium,
  SUM(cost_unblended) AS usage_cost_unblended,
  SUM(cost_net) AS usage_cost_net,
  SUM(CASE WHEN usage_kind IN ({{token_usage_kinds}}) AND model_tier = 'premium' THEN cost_unblended ELSE 0 END) AS premium_cost_unblended,
  SUM(CASE WHEN usage_kind IN ({{token_usage_kinds}}) AND model_tier = 'premium' THEN cost_net ELSE 0 END) AS premium_cost_net
FROM {{facts}}
WHERE billing_period BETWEEN {{from_period}} AND {{to_period}}
  AND usage_date BETWEEN {{from}} AND {{to}}
  AND line_item_type IN ({{usage_line_item_types}})
  AND usage_kind NOT IN ({{commitment_usage_kinds}})
GROUP BY workload, usage_date
