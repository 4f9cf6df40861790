-- series/commitment_fees: the condition selecting Provisioned Throughput fees (charges of usage kind
-- provisioned_hours), read as whole facts: one per commitment and day, judged by idle-provisioned. One of the
-- rule-series statements; placeholders as in series/workload_model.sql.
billing_period BETWEEN {{from_period}} AND {{to_period}}
  AND usage_date BETWEEN {{from}} AND {{to}}
  AND line_item_type IN ({{charge_line_item_types}})
  AND usage_kind = 'provisioned_hours'
