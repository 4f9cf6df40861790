import { runQuarterlyReview } from './runtime/reports.js';
import type { RuntimeOptions } from './runtime/runtime.js';
import { scheduledReportHandler } from './runtime/scheduled-handler.js';

/**
 * `quarterly-review` (EventBridge Scheduler): the provisioned-commitment review of the last ended quarter,
 * sent once per receiver and quarter; utilization from CloudWatch in BEDROCK_COST_METRIC_REGIONS.
 */
export function createQuarterlyReviewHandler(options: RuntimeOptions = {}) {
  return scheduledReportHandler(runQuarterlyReview, options);
}

export const handler = createQuarterlyReviewHandler();
