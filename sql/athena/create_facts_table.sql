-- create_facts_table: a Glue table over the fact dataset (`<store>/facts/billing_period=YYYY-MM/<export>.parquet`)
-- for analysts, columns as in src/core/facts/fact-schema.ts (a unit test keeps them in step). Money and
-- usage are exact DECIMAL(38,15), as written; billing_period is the partition (it is also stored in the
-- files, where Athena ignores it). Partition projection: a new period is queryable as soon as it is written.
-- Placeholders (DDL takes no execution parameters; all three are validated before they are filled):
--   {{database}} {{table}}  identifiers, [A-Za-z0-9_]+
--   {{location}}            s3://bucket/prefix of the fact store (the --store root, no trailing slash)
-- Parameters: none.
CREATE EXTERNAL TABLE IF NOT EXISTS `{{database}}`.`{{table}}` (
  usage_date STRING,
  payer_account STRING,
  usage_account STRING,
  usage_account_name STRING,
  region STRING,
  billing_path STRING,
  model STRING,
  model_family STRING,
  model_provider STRING,
  model_tier STRING,
  usage_kind STRING,
  service_tier STRING,
  routing STRING,
  context STRING,
  resource_kind STRING,
  resource_id STRING,
  usage_type STRING,
  workload STRING,
  team STRING,
  cost_center STRING,
  environment STRING,
  account_environment STRING,
  attribution_source STRING,
  iam_principal STRING,
  line_item_type STRING,
  tokens BIGINT,
  usage_amount DECIMAL(38, 15),
  pricing_unit STRING,
  cost_unblended DECIMAL(38, 15),
  cost_net DECIMAL(38, 15),
  line_items INT,
  source_export STRING,
  snapshot_id STRING
)
PARTITIONED BY (billing_period STRING)
STORED AS PARQUET
LOCATION '{{location}}/facts/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.billing_period.type' = 'date',
  'projection.billing_period.format' = 'yyyy-MM',
  'projection.billing_period.range' = '2023-01,NOW',
  'projection.billing_period.interval' = '1',
  'projection.billing_period.interval.unit' = 'MONTHS',
  'storage.location.template' = '{{location}}/facts/billing_period=${billing_period}'
)
