-- create_cur2_table: a Glue table over a CUR 2.0 (Data Exports) Parquet export, for `backfill` and the
-- Athena stage-1 engine. Only the columns stage 1 reads are declared: Athena matches Parquet columns by
-- name, so the full export (about 125 columns) reads the same, and a column an export lacks reads NULL.
-- Partition projection over the export's BILLING_PERIOD=YYYY-MM folders: no crawler, no MSCK REPAIR.
-- Placeholders (DDL takes no execution parameters; all three are validated before they are filled):
--   {{database}} {{table}}  identifiers, [A-Za-z0-9_]+
--   {{location}}            s3://bucket/prefix/<export-name>/data (no trailing slash)
-- Parameters: none.
CREATE EXTERNAL TABLE IF NOT EXISTS `{{database}}`.`{{table}}` (
  bill_billing_entity STRING,
  bill_billing_period_start_date TIMESTAMP,
  bill_billing_period_end_date TIMESTAMP,
  bill_payer_account_id STRING,
  line_item_usage_account_id STRING,
  line_item_usage_account_name STRING,
  line_item_line_item_type STRING,
  line_item_usage_start_date TIMESTAMP,
  line_item_usage_end_date TIMESTAMP,
  line_item_product_code STRING,
  line_item_usage_type STRING,
  line_item_operation STRING,
  line_item_resource_id STRING,
  line_item_line_item_description STRING,
  line_item_iam_principal STRING,
  line_item_usage_amount DOUBLE,
  line_item_unblended_cost DOUBLE,
  line_item_net_unblended_cost DOUBLE,
  pricing_unit STRING,
  product_region_code STRING,
  product MAP<STRING, STRING>,
  resource_tags MAP<STRING, STRING>,
  tags MAP<STRING, STRING>
)
PARTITIONED BY (billing_period STRING)
STORED AS PARQUET
LOCATION '{{location}}/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.billing_period.type' = 'date',
  'projection.billing_period.format' = 'yyyy-MM',
  'projection.billing_period.range' = '2023-01,NOW',
  'projection.billing_period.interval' = '1',
  'projection.billing_period.interval.unit' = 'MONTHS',
  'storage.location.template' = '{{location}}/BILLING_PERIOD=${billing_period}'
)
