import type { Context } from 'aws-lambda';
import { type ReportRunSummary, runWeeklyDigest } from './runtime/reports.js';
import { createRuntime, type Runtime, type RuntimeOptions } from './runtime/runtime.js';

/**
 * `weekly-digest` (EventBridge Scheduler): the chargeback digest of the last ended ISO week, sent once per
 * receiver and week. Throws when a delivery must be retried, so Scheduler's retries (and then its DLQ) apply.
 */
export function createWeeklyDigestHandler(options: RuntimeOptions = {}) {
  let runtime: Runtime | undefined;
  return async (event: unknown, context: Context): Promise<ReportRunSummary> => {
    runtime ??= createRuntime(options);
    const rt = runtime;
    rt.log.addContext?.(context);
    try {
      return await runWeeklyDigest(rt, event);
    } finally {
      rt.metrics.flush();
    }
  };
}

export const handler = createWeeklyDigestHandler();
