import type { CostMetric } from '../facts/fact-filters.js';

export interface CandidateOptions {
  /** A workload × model must have on-demand traffic on at least this share of the quarter's days. */
  minDaysFraction: number;
  /** …and daily tokens with a coefficient of variation at most this (steady, not bursty). */
  maxCv: number;
  /** Only suggest a commitment that would save at least this much over the quarter. */
  minSavingsUsd: number;
  /** Provisioned Throughput is sized for the peak minute, assumed this many times the daily average. */
  peakToAverage: number;
}

export interface ReviewOptions {
  costMetric: CostMetric;
  /**
   * Tokens per minute one model unit serves, per model id. AWS states it per model in the console, not in
   * CUR; without it, PT utilization and unit sizing are not computed (Reserved tier needs none: its unit is
   * 1K TPM).
   */
  modelUnitCapacity: Readonly<Record<string, number>>;
  /** A recommendation to change (reduce, expire, move) needs at least this effect over the period. */
  minEffectUsd: number;
  /** On-demand spend on the same model/account/region while paid that counts as "bypassing" it. */
  bypassMinUsd: number;
  /** Reduced unit counts keep this headroom over the observed peak hour (0.25 = 25%). */
  headroom: number;
  candidates: CandidateOptions;
}

export const DEFAULT_REVIEW_OPTIONS: ReviewOptions = {
  costMetric: 'unblended',
  modelUnitCapacity: {},
  minEffectUsd: 50,
  bypassMinUsd: 1,
  headroom: 0.25,
  candidates: { minDaysFraction: 0.8, maxCv: 0.35, minSavingsUsd: 100, peakToAverage: 2 },
};
