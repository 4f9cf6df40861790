import { describe, expect, it } from 'vitest';
import { athenaColumnName } from '../../../src/adapters/cur-sql/csv-columns.js';

describe('athenaColumnName', () => {
  it.each([
    ['lineItem/UsageType', 'line_item_usage_type'],
    ['lineItem/LineItemDescription', 'line_item_line_item_description'],
    ['bill/BillingEntity', 'bill_billing_entity'],
    ['bill/PayerAccountId', 'bill_payer_account_id'],
    ['product/ProductName', 'product_product_name'],
    ['product/regionCode', 'product_region_code'],
    ['product/servicecode', 'product_servicecode'],
    ['pricing/unit', 'pricing_unit'],
    ['savingsPlan/SavingsPlanARN', 'savings_plan_savings_plan_arn'],
    ['resourceTags/user:Workload', 'resource_tags_user_workload'],
    ['resourceTags/user:Cost-Center', 'resource_tags_user_cost_center'],
    ['identity/LineItemId', 'identity_line_item_id'],
  ])('%s → %s', (header, expected) => {
    expect(athenaColumnName(header)).toBe(expected);
  });
});
