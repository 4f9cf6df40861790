import { loadModelCatalog } from '../../../../src/config/model-catalog.js';
import { type Config, DEFAULT_CONFIG } from '../../../../src/config/schema.js';
import type { NormalizeContext } from '../../../../src/core/normalize/classify-row.js';
import type { Stage1Row } from '../../../../src/core/normalize/stage1-row.js';

/** The bundled catalog, read once per test file. */
export const CATALOG = loadModelCatalog(DEFAULT_CONFIG);

/** A first-party Nova Lite input row (R1 shape) with every field overridable. */
export function stage1Row(overrides: Partial<Stage1Row> = {}): Stage1Row {
  return {
    usageDate: '2026-06-03',
    billingPeriod: '2026-06',
    payerAccount: '999999999999',
    usageAccount: '111122223333',
    usageAccountName: 'prod-genai',
    billingEntity: 'AWS',
    productCode: 'AmazonBedrock',
    productName: 'Amazon Bedrock',
    region: null,
    usageType: 'USE1-NovaLite-input-tokens',
    operation: 'InvokeModelInference',
    pricingUnit: '1K tokens',
    itemDescription: null,
    resourceId: null,
    lineItemType: 'Usage',
    iamPrincipal: null,
    resourceTags: [],
    principalTags: [],
    accountTags: [],
    usageAmount: '1',
    costUnblended: '0.01',
    costNet: '0.01',
    lineItems: 1,
    ...overrides,
  };
}

export function normalizeContext(config: Config = DEFAULT_CONFIG): NormalizeContext {
  return {
    catalog: config.models.length > 0 ? loadModelCatalog(config) : CATALOG,
    config,
    sourceExport: 'bedrock-cur',
    snapshotId: 'snap-0001',
  };
}
