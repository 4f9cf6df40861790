import { runEarlyWarningSchedule } from './runtime/early-warning.js';
import type { RuntimeOptions } from './runtime/runtime.js';
import { scheduledReportHandler } from './runtime/scheduled-handler.js';

/**
 * `early-warning` (EventBridge Scheduler, hourly): Bedrock's CloudWatch metrics of the last complete hour,
 * priced at CUR's effective rates and attributed through inference-profile tags; pages at most once, and CUR
 * confirms the page later without a second one. Throws when a delivery must be retried.
 */
export function createEarlyWarningHandler(options: RuntimeOptions = {}) {
  return scheduledReportHandler(runEarlyWarningSchedule, options);
}

export const handler = createEarlyWarningHandler();
