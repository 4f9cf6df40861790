import type { Commitment } from './commitments.js';

/**
 * One reading of a commitment's traffic over [start, start + periodSeconds): CloudWatch `AWS/Bedrock` sums for
 * the provisioned model ARN, or a row of a utilization file. A null figure is unknown; a period with no point
 * at all is unknown too — missing datapoints are never read as zero.
 */
export interface UtilizationPoint {
  /** ISO instant (UTC) the period starts. */
  start: string;
  periodSeconds: number;
  invocations: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
}

export interface CommitmentUtilization {
  commitmentId: string;
  /** `cloudwatch`, `file:<path>`…, for the report. */
  source: string;
  points: UtilizationPoint[];
}

/** What a utilization source is asked for: per commitment, the model id CloudWatch knows it by. */
export interface UtilizationTarget {
  commitmentId: string;
  /** `ModelId` dimension value: the provisioned model ARN (or the commitment id when CUR has no ARN). */
  modelId: string;
  region: string;
  account: string;
  model: string;
}

export interface UtilizationSummary {
  source: string | null;
  /** Hours covered by a reading (active or measured idle). */
  observedHours: number;
  activeHours: number;
  /** Hours a reading says had no traffic. */
  idleHours: number;
  /** Paid hours with no reading: not idle, not busy — unknown. */
  unknownHours: number;
  invocations: number;
  inputTokens: number;
  outputTokens: number;
  /** Largest input + output tokens in one hour (daily readings: the day's tokens ÷ 24, a lower bound). */
  peakTokensPerHour: number | null;
}

export function commitmentTargets(commitments: readonly Commitment[]): UtilizationTarget[] {
  return commitments.map((c) => ({
    commitmentId: c.id,
    modelId: c.resourceId && c.resourceId !== 'none' ? c.resourceId : c.id,
    region: c.region,
    account: c.account,
    model: c.model,
  }));
}

/** Sums a commitment's readings on the days it was paid. */
export function summarizeUtilization(
  commitment: Commitment,
  series: CommitmentUtilization | undefined,
  /** The configured source, named even when it returned nothing for this commitment. */
  sourceName: string | null = null,
): UtilizationSummary {
  const paidDays = new Set(commitment.days);
  let observed = 0;
  let active = 0;
  let idle = 0;
  let invocations = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let peak: number | null = null;
  for (const p of series?.points ?? []) {
    if (!paidDays.has(p.start.slice(0, 10))) continue;
    if (p.invocations === null && p.inputTokens === null && p.outputTokens === null) continue;
    const hours = p.periodSeconds / 3600;
    const tokens = (p.inputTokens ?? 0) + (p.outputTokens ?? 0);
    observed += hours;
    if ((p.invocations ?? 0) > 0 || tokens > 0) active += hours;
    else idle += hours;
    invocations += p.invocations ?? 0;
    inputTokens += p.inputTokens ?? 0;
    outputTokens += p.outputTokens ?? 0;
    const perHour = tokens / hours;
    if (peak === null || perHour > peak) peak = perHour;
  }
  return {
    source: series?.source ?? sourceName,
    observedHours: observed,
    activeHours: active,
    idleHours: idle,
    unknownHours: Math.max(0, Math.round((commitment.hoursPaid - observed) * 1000) / 1000),
    invocations,
    inputTokens,
    outputTokens,
    peakTokensPerHour: peak,
  };
}
