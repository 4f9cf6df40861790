-- series/coverage: the earliest usage day with any fact in the window (days before it are "no data", not "no
-- spend") and the number of facts the series summarise. One of the rule-series statements; placeholders as in
-- series/workload_model.sql.
SELECT MIN(usage_date) AS coverage_start, COUNT(*) AS facts
FROM {{facts}}
WHERE billing_period BETWEEN {{from_period}} AND {{to_period}}
  AND usage_date BETWEEN {{from}} AND {{to}}
