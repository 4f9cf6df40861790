import type { Context } from 'aws-lambda';
import { type ReportRunSummary, runQuarterlyReview } from './runtime/reports.js';
import { createRuntime, type Runtime, type RuntimeOptions } from './runtime/runtime.js';

/**
 * `quarterly-review` (EventBridge Scheduler): the provisioned-commitment review of the last ended quarter,
 * sent once per receiver and quarter; utilization from CloudWatch in BEDROCK_COST_METRIC_REGIONS.
 */
export function createQuarterlyReviewHandler(options: RuntimeOptions = {}) {
  let runtime: Runtime | undefined;
  return async (event: unknown, context: Context): Promise<ReportRunSummary> => {
    runtime ??= createRuntime(options);
    const rt = runtime;
    rt.log.addContext?.(context);
    try {
      return await runQuarterlyReview(rt, event);
    } finally {
      rt.metrics.flush();
    }
  };
}

export const handler = createQuarterlyReviewHandler();
