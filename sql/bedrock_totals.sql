-- bedrock_totals: Σ Bedrock line-item cost and count per billing period, straight from {{lines}} and
-- independent of stage 1 and stage 2; ingest reconciles the facts against it to 1e-6 USD.
SELECT
  billing_period,
  SUM(cost_unblended) AS cost_unblended,
  SUM(cost_net) AS cost_net,
  COUNT(*) AS line_items
FROM {{lines}}
GROUP BY billing_period
