import type { Context } from 'aws-lambda';
import type { ReportRunSummary } from './reports.js';
import { createRuntime, type Runtime, type RuntimeOptions } from './runtime.js';

/**
 * A Lambda handler for one scheduled report: the runtime is built on the first invocation and reused, the
 * invocation's context is logged, and metrics are flushed however the run ends.
 */
export function scheduledReportHandler(
  run: (runtime: Runtime, event: unknown) => Promise<ReportRunSummary>,
  options: RuntimeOptions,
): (event: unknown, context: Context) => Promise<ReportRunSummary> {
  let runtime: Runtime | undefined;
  return async (event, context) => {
    runtime ??= createRuntime(options);
    const rt = runtime;
    rt.log.addContext?.(context);
    try {
      return await run(rt, event);
    } finally {
      rt.metrics.flush();
    }
  };
}
