-- series/on_demand: on-demand token usage (not through Provisioned Throughput or Reserved capacity) by model ×
-- account × region × day: what idle-provisioned compares a paid commitment with ("bought but bypassed").
-- One of the rule-series statements; placeholders as in series/workload_model.sql.
SELECT
  model,
  usage_account,
  region,
  usage_date,
  SUM(cost_unblended) AS usage_cost_unblended,
  SUM(cost_net) AS usage_cost_net
FROM {{facts}}
WHERE billing_period BETWEEN {{from_period}} AND {{to_period}}
  AND usage_date BETWEEN {{from}} AND {{to}}
  AND line_item_type IN ({{usage_line_item_types}})
  AND usage_kind IN ({{token_usage_kinds}})
  AND service_tier NOT IN ({{capacity_tiers}})
GROUP BY model, usage_account, region, usage_date
