-- series/day: every charge (usage and fees, commitment hours included; never tax or credits) by day, and the
-- part with no workload: the series untagged-spend judges. One of the rule-series statements; placeholders as
-- in series/workload_model.sql.
SELECT
  usage_date,
  SUM(cost_unblended) AS charge_cost_unblended,
  SUM(cost_net) AS charge_cost_net,
  SUM(CASE WHEN workload = {{unallocated}} THEN cost_unblended ELSE 0 END) AS unallocated_cost_unblended,
  SUM(CASE WHEN workload = {{unallocated}} THEN cost_net ELSE 0 END) AS unallocated_cost_net
FROM {{facts}}
WHERE billing_period BETWEEN {{from_period}} AND {{to_period}}
  AND usage_date BETWEEN {{from}} AND {{to}}
  AND line_item_type IN ({{charge_line_item_types}})
GROUP BY usage_date
