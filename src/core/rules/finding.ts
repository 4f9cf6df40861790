import type { Money } from '../money.js';

export const SEVERITIES = ['info', 'warning', 'page'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Labels every finding carries; routing matchers, grouping and silences read these. */
export interface FindingLabels {
  workload: string;
  model: string;
  team: string;
  cost_center: string;
  account: string;
  environment: string;
  [label: string]: string;
}

/** The figures behind a finding; money exact, ratios as plain numbers (display only). */
export interface FindingFigures {
  today: Money;
  baseline: Money;
  /** today ÷ baseline, or null when the baseline is zero. */
  ratio: number | null;
  /** today − baseline. */
  delta: Money;
  [figure: string]: Money | number | string | null;
}

/** A usage group that moved: what the message lists under "contributors". */
export interface Contributor {
  dimension: 'usage_kind' | 'model' | 'iam_principal' | 'usage_type' | 'account' | 'workload';
  value: string;
  today: Money;
  baseline: Money;
  delta: Money;
}

/** One rule's verdict about one day and one label set. Pure data: routing and delivery happen later. */
export interface Finding {
  rule: string;
  /** Name of the configured rule instance (defaults to the rule type). */
  name: string;
  day: string;
  severity: Severity;
  /** True while the day is not final (watermark): provisional findings never page. */
  provisional: boolean;
  labels: FindingLabels;
  figures: FindingFigures;
  why: string[];
  contributors: Contributor[];
  /** Stable, label-order-independent id from core/keys.ts findingFingerprint. */
  fingerprint: string;
}
