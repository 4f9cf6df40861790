import { runWeeklyDigest } from './runtime/reports.js';
import type { RuntimeOptions } from './runtime/runtime.js';
import { scheduledReportHandler } from './runtime/scheduled-handler.js';

/**
 * `weekly-digest` (EventBridge Scheduler): the chargeback digest of the last ended ISO week, sent once per
 * receiver and week. Throws when a delivery must be retried, so Scheduler's retries (and then its DLQ) apply.
 */
export function createWeeklyDigestHandler(options: RuntimeOptions = {}) {
  return scheduledReportHandler(runWeeklyDigest, options);
}

export const handler = createWeeklyDigestHandler();
