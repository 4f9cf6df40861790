import type { DailyFact } from './daily-fact.js';

/**
 * The fact fields the weekly digest and the provisioned review read. They read facts rolled up over every other
 * descriptive column (IAM principal, attribution source, payer account…), summed: the same totals from fewer
 * rows, since principals and tags multiply facts without changing any line of those reports.
 */
export const REPORT_FACT_FIELDS = [
  'usageDate',
  'billingPeriod',
  'usageAccount',
  'usageAccountName',
  'region',
  'model',
  'modelTier',
  'usageKind',
  'serviceTier',
  'resourceId',
  'usageType',
  'workload',
  'team',
  'costCenter',
  'lineItemType',
  'sourceExport',
  'snapshotId',
] as const satisfies readonly (keyof DailyFact)[];
