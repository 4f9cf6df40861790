-- series/prod_environment: charges in prod-classified accounts by workload × attributed environment × day: the
-- series dev-in-prod judges (it picks the non-prod environments its config names). One of the rule-series
-- statements; placeholders as in series/workload_model.sql.
SELECT
  workload,
  environment,
  usage_date,
  SUM(cost_unblended) AS charge_cost_unblended,
  SUM(cost_net) AS charge_cost_net
FROM {{facts}}
WHERE billing_period BETWEEN {{from_period}} AND {{to_period}}
  AND usage_date BETWEEN {{from}} AND {{to}}
  AND line_item_type IN ({{charge_line_item_types}})
  AND account_environment = 'prod'
GROUP BY workload, environment, usage_date
