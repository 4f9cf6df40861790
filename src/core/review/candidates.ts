import type { DailyFact } from '../facts/daily-fact.js';
import { costOf, isUsageFact } from '../facts/fact-filters.js';
import { splitTupleKey, tupleKey } from '../keys.js';
import { type Money, moneyToNumber, usd } from '../money.js';
import type { CommitmentTerm } from './commitment-usage-type.js';
import type { Commitment } from './commitments.js';
import { type OnDemandRates, priceTokens } from './rates.js';
import { RESERVED_MIN_TPM, RESERVED_TPM_PER_UNIT, reservedMinUnits } from './reserved-tier.js';
import type { ReviewOptions } from './review-options.js';

/** A commitment price observed in the same CUR: cost ÷ unit-hours of commitments bought for that model. */
export interface CommitmentPrice {
  kind: 'provisioned-throughput' | 'reserved-tier';
  model: string;
  direction: 'input' | 'output' | null;
  term: CommitmentTerm;
  /** USD per model-unit hour (PT) or per 1K-TPM hour (Reserved). */
  perUnitHour: number;
}

export interface CommitmentCandidate {
  workload: string;
  team: string;
  costCenter: string;
  model: string;
  region: string;
  account: string;
  daysWithTraffic: number;
  days: number;
  avgDailyTokens: number;
  /** Coefficient of variation of daily input + output tokens. */
  cv: number;
  onDemandCost: Money;
  option: string;
  kind: 'provisioned-throughput' | 'reserved-tier';
  units: number;
  term: CommitmentTerm;
  commitmentCost: Money;
  /** On-demand cost replaced minus the commitment's cost, over the period. */
  savings: Money;
  assumptions: string[];
}

export interface CandidateScan {
  candidates: CommitmentCandidate[];
  /** Steady workloads that could not be priced, and why. */
  notes: string[];
}

/** The cheapest observed price per (kind, model, direction). */
export function observedCommitmentPrices(commitments: readonly Commitment[]): CommitmentPrice[] {
  const sums = new Map<
    string,
    { price: Omit<CommitmentPrice, 'perUnitHour'>; cost: bigint; unitHours: number }
  >();
  for (const c of commitments) {
    if (c.unitHours <= 0) continue;
    const key = `${c.kind}|${c.model}|${c.direction ?? ''}|${c.term}`;
    const entry = sums.get(key) ?? {
      price: { kind: c.kind, model: c.model, direction: c.direction, term: c.term },
      cost: 0n,
      unitHours: 0,
    };
    entry.cost += c.cost;
    entry.unitHours += c.unitHours;
    sums.set(key, entry);
  }
  const best = new Map<string, CommitmentPrice>();
  for (const { price, cost, unitHours } of sums.values()) {
    const perUnitHour = moneyToNumber(cost as Money) / unitHours;
    const key = `${price.kind}|${price.model}|${price.direction ?? ''}`;
    const current = best.get(key);
    if (!current || perUnitHour < current.perUnitHour) best.set(key, { ...price, perUnitHour });
  }
  return [...best.values()];
}

function stats(values: readonly number[]): { mean: number; cv: number } {
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(1, values.length);
  return { mean, cv: mean > 0 ? Math.sqrt(variance) / mean : Number.POSITIVE_INFINITY };
}

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))))]!;
}

const MINUTES_PER_DAY = 1440;
/** Fewer days than two weeks say too little about steadiness to buy a month of capacity on. */
const MIN_WINDOW_DAYS = 14;

type DayTokens = { input: number; output: number };

/** A workload's standard-tier on-demand input/output tokens to one model, region and account, by day. */
interface WorkloadTraffic {
  workload: string;
  model: string;
  region: string;
  account: string;
  /** The group's first fact: its team and cost center label the candidate. */
  first: DailyFact;
  perDay: Map<string, DayTokens>;
  onDemandCost: Money;
}

/** Traffic steady enough over its window (from its first day) to size a commitment on. */
interface SteadyTraffic extends WorkloadTraffic {
  window: string[];
  daily: DayTokens[];
  /** Input + output tokens per day of the window. */
  totals: number[];
  withTraffic: number;
  mean: number;
  cv: number;
}

function trafficByWorkload(facts: readonly DailyFact[], options: ReviewOptions): WorkloadTraffic[] {
  const groups = new Map<string, WorkloadTraffic>();
  for (const f of facts) {
    if (!isUsageFact(f) || f.serviceTier !== 'standard') continue;
    if (f.usageKind !== 'input' && f.usageKind !== 'output') continue;
    const key = tupleKey([f.workload, f.model, f.region, f.usageAccount]);
    let g = groups.get(key);
    if (!g) {
      const [workload = '', model = '', region = '', account = ''] = splitTupleKey(key);
      g = { workload, model, region, account, first: f, perDay: new Map(), onDemandCost: 0n as Money };
      groups.set(key, g);
    }
    const d = g.perDay.get(f.usageDate) ?? { input: 0, output: 0 };
    if (f.usageKind === 'input') d.input += f.tokens;
    else d.output += f.tokens;
    g.perDay.set(f.usageDate, d);
    g.onDemandCost = (g.onDemandCost + costOf(f, options.costMetric)) as Money;
  }
  return [...groups.values()];
}

/** The traffic with its daily figures when it is steady enough (`options.candidates`), else null. */
function steadyTraffic(
  traffic: WorkloadTraffic,
  days: readonly string[],
  options: ReviewOptions,
): SteadyTraffic | null {
  // A workload that started mid-quarter is judged from its first day: steady since then is steady.
  const firstDay = [...traffic.perDay.keys()].sort()[0]!;
  const window = days.filter((d) => d >= firstDay);
  if (window.length < MIN_WINDOW_DAYS) return null;
  const daily = window.map((day) => traffic.perDay.get(day) ?? { input: 0, output: 0 });
  const totals = daily.map((d) => d.input + d.output);
  const withTraffic = totals.filter((t) => t > 0).length;
  const { mean, cv } = stats(totals);
  const opts = options.candidates;
  if (withTraffic < opts.minDaysFraction * window.length || cv > opts.maxCv || mean <= 0) return null;
  return { ...traffic, window, daily, totals, withTraffic, mean, cv };
}

type CandidateBase = Omit<
  CommitmentCandidate,
  'option' | 'kind' | 'units' | 'term' | 'commitmentCost' | 'savings' | 'assumptions'
>;

function candidateBase(s: SteadyTraffic): CandidateBase {
  return {
    workload: s.workload,
    team: s.first.team,
    costCenter: s.first.costCenter,
    model: s.model,
    region: s.region,
    account: s.account,
    daysWithTraffic: s.withTraffic,
    days: s.window.length,
    avgDailyTokens: Math.round(s.mean),
    cv: s.cv,
    onDemandCost: s.onDemandCost,
  };
}

/**
 * Reserved tier per direction, sized to the 10th-percentile day in whole 1K-TPM units (overflow stays
 * on-demand), never below the smallest reservation AWS sells in that direction.
 */
function reservedTierOptions(
  s: SteadyTraffic,
  prices: readonly CommitmentPrice[],
  rates: OnDemandRates,
): CommitmentCandidate[] {
  const out: CommitmentCandidate[] = [];
  const hours = s.window.length * 24;
  for (const direction of ['input', 'output'] as const) {
    const price = prices.find(
      (p) => p.kind === 'reserved-tier' && p.model === s.model && p.direction === direction,
    );
    const rate = rates.rate(s.model, s.region, direction);
    if (!price || !rate) continue;
    const lowDayTpm = quantile(
      s.daily.map((d) => d[direction] / MINUTES_PER_DAY),
      0.1,
    );
    const sized = Math.floor(lowDayTpm / RESERVED_TPM_PER_UNIT);
    if (sized <= 0) continue;
    const units = Math.max(sized, reservedMinUnits(direction));
    const capacityPerDay = units * RESERVED_TPM_PER_UNIT * MINUTES_PER_DAY;
    const covered = s.daily.reduce((n, d) => n + Math.min(d[direction], capacityPerDay), 0);
    const replaced = priceTokens(rate, covered);
    const commitmentCost = usd((units * price.perUnitHour * hours).toFixed(6));
    out.push({
      ...candidateBase(s),
      option: `Reserved tier ${(units * RESERVED_TPM_PER_UNIT).toLocaleString('en-US')} ${direction} TPM (${price.term}) at ${price.perUnitHour.toFixed(4)} USD per 1K-TPM hour`,
      kind: 'reserved-tier',
      units,
      term: price.term,
      commitmentCost,
      savings: (replaced - commitmentCost) as Money,
      assumptions: [
        units > sized
          ? `the 10th-percentile day (${Math.round(lowDayTpm).toLocaleString('en-US')} ${direction} TPM) is below AWS's minimum reservation, so it is raised to ${RESERVED_MIN_TPM[direction].toLocaleString('en-US')} ${direction} TPM; the unused part is paid for`
          : `sized to the 10th-percentile day (${Math.round(lowDayTpm).toLocaleString('en-US')} ${direction} TPM); traffic above it stays on-demand`,
        'traffic assumed spread evenly over each day',
      ],
    });
  }
  return out;
}

/** Provisioned Throughput sized for the peak (`peakToAverage` × the 95th-percentile day) in whole units. */
function provisionedOption(
  s: SteadyTraffic,
  pt: CommitmentPrice,
  tpmPerUnit: number,
  options: ReviewOptions,
): CommitmentCandidate {
  const peakToAverage = options.candidates.peakToAverage;
  const peakTpm = (quantile(s.totals, 0.95) / MINUTES_PER_DAY) * peakToAverage;
  const units = Math.max(1, Math.ceil(peakTpm / tpmPerUnit));
  const commitmentCost = usd((units * pt.perUnitHour * s.window.length * 24).toFixed(6));
  return {
    ...candidateBase(s),
    option: `Provisioned Throughput ${units} model unit(s) (${pt.term}) at ${pt.perUnitHour.toFixed(2)} USD per unit-hour`,
    kind: 'provisioned-throughput',
    units,
    term: pt.term,
    commitmentCost,
    savings: (s.onDemandCost - commitmentCost) as Money,
    assumptions: [
      `sized for ${peakToAverage}× the 95th-percentile day (${Math.round(peakTpm).toLocaleString('en-US')} TPM peak) at ${tpmPerUnit.toLocaleString('en-US')} TPM per unit`,
      'all of the workload’s traffic to this model moves to the provisioned model ARN',
    ],
  };
}

/** The options a steady workload has, and a note when it has no way to be priced as a PT. */
function commitmentOptions(
  s: SteadyTraffic,
  prices: readonly CommitmentPrice[],
  rates: OnDemandRates,
  options: ReviewOptions,
): { options: CommitmentCandidate[]; note: string | null } {
  const found = reservedTierOptions(s, prices, rates);
  const pt = prices.find((p) => p.kind === 'provisioned-throughput' && p.model === s.model);
  const tpmPerUnit = options.modelUnitCapacity[s.model];
  if (pt && tpmPerUnit && tpmPerUnit > 0)
    return { options: [...found, provisionedOption(s, pt, tpmPerUnit, options)], note: null };
  if (!prices.some((p) => p.model === s.model)) {
    return {
      options: found,
      note: `${s.workload} → ${s.model} (${s.region}) is steady (CV ${s.cv.toFixed(2)}, ${s.withTraffic}/${s.window.length} days) but no Provisioned Throughput or Reserved tier price for ${s.model} appears in this CUR to compare with`,
    };
  }
  if (pt && !tpmPerUnit) {
    return {
      options: found,
      note: `${s.workload} → ${s.model}: set review.model_units["${s.model}"].tokens_per_minute to size Provisioned Throughput for it`,
    };
  }
  return { options: found, note: null };
}

const bySavingsDesc = (a: CommitmentCandidate, b: CommitmentCandidate) =>
  a.savings === b.savings ? 0 : a.savings > b.savings ? -1 : 1;

/**
 * The reverse question: which on-demand workloads have volume steady enough that a commitment would have
 * cost less? Priced only with commitment prices observed in the same CUR (never a rate card):
 * - Reserved tier per direction, sized to the 10th-percentile day (overflow is billed on-demand), so the
 *   reservation is used nearly every minute, and never below AWS's minimum reservation;
 * - Provisioned Throughput, sized for the peak (`peakToAverage` × the 95th-percentile day) in whole units,
 *   only when the model's tokens-per-minute per unit is configured.
 * Assumes traffic spread evenly over each day.
 */
export function commitmentCandidates(
  facts: readonly DailyFact[],
  days: readonly string[],
  prices: readonly CommitmentPrice[],
  rates: OnDemandRates,
  options: ReviewOptions,
): CandidateScan {
  const candidates: CommitmentCandidate[] = [];
  const notes: string[] = [];
  const minSavings = usd(options.candidates.minSavingsUsd);
  for (const traffic of trafficByWorkload(facts, options)) {
    const steady = steadyTraffic(traffic, days, options);
    if (!steady) continue;
    const { options: found, note } = commitmentOptions(steady, prices, rates, options);
    if (note !== null) notes.push(note);
    const best = found.filter((o) => o.savings >= minSavings).sort(bySavingsDesc)[0];
    if (best) candidates.push(best);
  }
  candidates.sort((a, b) =>
    a.savings === b.savings ? (a.workload < b.workload ? -1 : 1) : a.savings > b.savings ? -1 : 1,
  );
  return { candidates, notes };
}
