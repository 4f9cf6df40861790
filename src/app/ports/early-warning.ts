import type { MetricDatapoint } from '../../core/early-warning/metrics.js';
import type { EarlyWarningState } from '../../core/early-warning/reconcile.js';
import type { TagPairs } from '../../core/normalize/stage1-row.js';

// Ports of the early warning from Bedrock's CloudWatch metrics (issue 14). Used by app/early-warning.ts.

/** Bedrock metric datapoints (CloudWatch, or a file) over [from, to). */
export interface MetricsSource {
  readonly name: string;
  read(request: { from: string; to: string }): Promise<MetricDatapoint[]>;
}

/** Bedrock resource tags of ARNs the facts do not know yet (ListTagsForResource). */
export interface ResourceTagSource {
  tagsOf(arns: readonly string[]): Promise<Map<string, TagPairs>>;
}

/** Hourly estimates, early pages and CUR confirmations between runs (local file | DynamoDB item). */
export interface EarlyWarningStore {
  read(): Promise<EarlyWarningState>;
  /** Compare-and-set update; returns the state written. */
  update(change: (state: EarlyWarningState) => EarlyWarningState): Promise<EarlyWarningState>;
}
