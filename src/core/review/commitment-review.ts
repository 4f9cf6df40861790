import type { DailyFact } from '../facts/daily-fact.js';
import { costOf, isUsageFact, TOKEN_USAGE_KINDS } from '../facts/fact-filters.js';
import { formatUsd, type Money, moneyToNumber, usd, ZERO } from '../money.js';
import { isCommittedTerm } from './commitment-usage-type.js';
import type { Commitment } from './commitments.js';
import { type ObservedRate, type OnDemandRates, priceTokens } from './rates.js';
import { RESERVED_TPM_PER_UNIT } from './reserved-tier.js';
import type { ReviewOptions } from './review-options.js';
import type { UtilizationSummary } from './utilization.js';

export const RECOMMENDATION_ACTIONS = [
  'keep',
  'reduce-units',
  'let-expire',
  'move-to-on-demand',
  'verify',
] as const;
/**
 * - `keep`: it pays for itself against on-demand;
 * - `reduce-units`: fewer model units carry the observed peak and still pay off;
 * - `let-expire`: a 1/6-month term that costs more than its traffic would on-demand: do not renew;
 * - `move-to-on-demand`: a no-commit PT that costs more than on-demand (or is bypassed): delete it;
 * - `verify`: utilization is unknown (no datapoints, which are not zeros) and nothing else decides.
 */
export type RecommendationAction = (typeof RECOMMENDATION_ACTIONS)[number];

export interface Recommendation {
  action: RecommendationAction;
  targetUnits: number | null;
  /**
   * USD over the review period: for `keep`, what the commitment saved against on-demand; for a change, what
   * following it would have saved. Null when it cannot be valued.
   */
  effect: Money | null;
  /** The same per 730-hour month. */
  effectPerMonth: Money | null;
  reasons: string[];
}

export interface Bypass {
  cost: Money;
  tokens: number;
  days: number;
}

export interface CommitmentReview {
  commitment: Commitment;
  utilization: UtilizationSummary;
  rates: { input: ObservedRate | null; output: ObservedRate | null };
  /** Tokens served in the observed hours, priced at the observed on-demand rate; null when not valued. */
  onDemandEquivalent: Money | null;
  /** The commitment's cost for the observed hours (pro rata), what onDemandEquivalent compares against. */
  observedCost: Money | null;
  /** onDemandEquivalent ÷ observedCost: ≥ 1 pays off. */
  valueRatio: number | null;
  /** Tokens the commitment could serve in the observed hours (needs model unit capacity for PT). */
  capacityTokens: number | null;
  utilizationRate: number | null;
  /** The utilization at which it costs the same as on-demand. */
  breakEvenUtilization: number | null;
  /** Tokens per hour at which it costs the same as on-demand. */
  breakEvenTokensPerHour: number | null;
  bypass: Bypass;
  recommendation: Recommendation;
}

const CAPACITY_TIERS: ReadonlySet<string> = new Set(['provisioned', 'reserved']);

/** On-demand token usage of the same model, account and region on the days the commitment was paid. */
export function bypassOf(
  commitment: Commitment,
  facts: readonly DailyFact[],
  options: ReviewOptions,
): Bypass {
  const paid = new Set(commitment.days);
  let cost = 0n;
  let tokens = 0;
  const days = new Set<string>();
  for (const f of facts) {
    if (!paid.has(f.usageDate) || !isUsageFact(f) || !TOKEN_USAGE_KINDS.has(f.usageKind)) continue;
    if (CAPACITY_TIERS.has(f.serviceTier)) continue;
    if (
      f.model !== commitment.model ||
      f.usageAccount !== commitment.account ||
      f.region !== commitment.region
    )
      continue;
    cost += costOf(f, options.costMetric);
    tokens += f.tokens;
    days.add(f.usageDate);
  }
  return { cost: cost as Money, tokens, days: days.size };
}

function served(commitment: Commitment, u: UtilizationSummary): { input: number; output: number } {
  if (commitment.direction === 'input') return { input: u.inputTokens, output: 0 };
  if (commitment.direction === 'output') return { input: 0, output: u.outputTokens };
  return { input: u.inputTokens, output: u.outputTokens };
}

/** Tokens per hour one unit serves: Reserved units are 1K TPM; PT units need the configured capacity. */
function unitTokensPerHour(commitment: Commitment, options: ReviewOptions): number | null {
  if (commitment.kind === 'reserved-tier') return RESERVED_TPM_PER_UNIT * 60;
  const tpm = options.modelUnitCapacity[commitment.model];
  return tpm && tpm > 0 ? tpm * 60 : null;
}

/** value × numerator ÷ denominator in integer arithmetic (hours are kept to 1e-6), truncated. */
function scale(value: Money, numerator: number, denominator: number): Money {
  const den = BigInt(Math.round(denominator * 1e6));
  if (den <= 0n) return ZERO;
  return ((value * BigInt(Math.round(numerator * 1e6))) / den) as Money;
}

function perMonth(effect: Money | null, hoursPaid: number): Money | null {
  return effect === null ? null : scale(effect, 730, hoursPaid);
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** Economics and a recommendation for one commitment. */
export function reviewCommitment(
  commitment: Commitment,
  utilization: UtilizationSummary,
  facts: readonly DailyFact[],
  rates: OnDemandRates,
  options: ReviewOptions,
): CommitmentReview {
  const c = commitment;
  const u = utilization;
  const inputRate = rates.rate(c.model, c.region, 'input');
  const outputRate = rates.rate(c.model, c.region, 'output');
  const tokens = served(c, u);
  const bypass = bypassOf(c, facts, options);
  const perUnitHour = unitTokensPerHour(c, options);

  let onDemandEquivalent: Money | null = null;
  if (u.observedHours > 0) {
    const missingRate = (tokens.input > 0 && !inputRate) || (tokens.output > 0 && !outputRate);
    if (!missingRate) {
      onDemandEquivalent = ((inputRate ? priceTokens(inputRate, tokens.input) : 0n) +
        (outputRate ? priceTokens(outputRate, tokens.output) : 0n)) as Money;
    }
  }
  const observedCost =
    u.observedHours > 0 ? scale(c.cost, Math.min(u.observedHours, c.hoursPaid), c.hoursPaid) : null;
  const valueRatio =
    onDemandEquivalent !== null && observedCost !== null && observedCost > 0n
      ? moneyToNumber(onDemandEquivalent) / moneyToNumber(observedCost)
      : null;
  const capacityTokens =
    perUnitHour !== null && u.observedHours > 0 ? perUnitHour * c.units * u.observedHours : null;
  const servedTokens = tokens.input + tokens.output;
  const utilizationRate = capacityTokens ? servedTokens / capacityTokens : null;

  // Break-even volume: the commitment's hourly cost over the blended on-demand price per token (blended by
  // the observed mix, else by the model's on-demand mix).
  const blended = blendedRatePerToken(tokens, inputRate, outputRate, c);
  const costPerHour = c.hoursPaid > 0 ? moneyToNumber(c.cost) / c.hoursPaid : null;
  const breakEvenTokensPerHour = blended && costPerHour !== null ? costPerHour / blended : null;
  const breakEvenUtilization =
    breakEvenTokensPerHour !== null && perUnitHour !== null && c.units > 0
      ? breakEvenTokensPerHour / (perUnitHour * c.units)
      : null;

  const recommendation = recommend({
    c,
    u,
    options,
    bypass,
    onDemandEquivalent,
    valueRatio,
    perUnitHour,
    servedTokens,
  });
  return {
    commitment: c,
    utilization: u,
    rates: { input: inputRate, output: outputRate },
    onDemandEquivalent,
    observedCost,
    valueRatio,
    capacityTokens,
    utilizationRate,
    breakEvenUtilization,
    breakEvenTokensPerHour,
    bypass,
    recommendation,
  };
}

function blendedRatePerToken(
  tokens: { input: number; output: number },
  inputRate: ObservedRate | null,
  outputRate: ObservedRate | null,
  c: Commitment,
): number | null {
  const unit = (r: ObservedRate | null) => (r ? moneyToNumber(r.cost) / r.tokens : null);
  const inRate = unit(inputRate);
  const outRate = unit(outputRate);
  if (c.direction === 'input') return inRate;
  if (c.direction === 'output') return outRate;
  let wIn = tokens.input;
  let wOut = tokens.output;
  if (wIn + wOut === 0) {
    wIn = inputRate?.tokens ?? 0;
    wOut = outputRate?.tokens ?? 0;
  }
  if (wIn + wOut === 0 || (wIn > 0 && inRate === null) || (wOut > 0 && outRate === null)) return null;
  return ((inRate ?? 0) * wIn + (outRate ?? 0) * wOut) / (wIn + wOut);
}

interface RecommendArgs {
  c: Commitment;
  u: UtilizationSummary;
  options: ReviewOptions;
  bypass: Bypass;
  onDemandEquivalent: Money | null;
  valueRatio: number | null;
  perUnitHour: number | null;
  servedTokens: number;
}

/** Why a recommendation was made: its case and the figures its wording quotes. */
type RecommendationCase =
  | { case: 'bypassed-unobserved' }
  | { case: 'unobserved' }
  | { case: 'idle' }
  | { case: 'unpriced' }
  | {
      case: 'reduce-units';
      /** `covers-cost`: on-demand would cost at least the full commitment; `below-equivalent`: only the reduced one. */
      fits: 'covers-cost' | 'below-equivalent';
      fullEquivalent: Money;
      reduceTo: number;
      reducedCost: Money;
    }
  | { case: 'keep-saves'; fullEquivalent: Money }
  | { case: 'keep-small-loss'; fullEquivalent: Money; loss: Money }
  | { case: 'leave'; fullEquivalent: Money; loss: Money };

interface Decision {
  action: RecommendationAction;
  effect: Money | null;
  targetUnits: number | null;
  why: RecommendationCase;
}

function recommend(args: RecommendArgs): Recommendation {
  const decision = decide(args);
  return {
    action: decision.action,
    targetUnits: decision.targetUnits,
    effect: decision.effect,
    effectPerMonth: perMonth(decision.effect, args.c.hoursPaid),
    reasons: reasonsFor(decision.why, args).filter((r): r is string => r !== undefined),
  };
}

function leaveAction(c: Commitment): RecommendationAction {
  return isCommittedTerm(c.term) ? 'let-expire' : 'move-to-on-demand';
}

function isBypassed(bypass: Bypass, options: ReviewOptions): boolean {
  return bypass.cost >= usd(options.bypassMinUsd) && bypass.cost > 0n;
}

/** Fewer PT units: sized to the busiest observed hour plus headroom, in whole units; null when none fewer fit. */
function reducedUnits(args: RecommendArgs): number | null {
  const { c, u, perUnitHour } = args;
  if (
    c.kind !== 'provisioned-throughput' ||
    perUnitHour === null ||
    u.peakTokensPerHour === null ||
    c.units <= 1
  )
    return null;
  const needed = Math.max(1, Math.ceil((u.peakTokensPerHour * (1 + args.options.headroom)) / perUnitHour));
  return needed < Math.floor(c.units) ? needed : null;
}

/** The decision alone: which action, its dollar effect over the period, and the case it rests on. */
function decide(args: RecommendArgs): Decision {
  const { c, u, options, onDemandEquivalent } = args;
  const leave = leaveAction(c);
  const decision = (
    action: RecommendationAction,
    effect: Money | null,
    why: RecommendationCase,
    targetUnits: number | null = null,
  ): Decision => ({ action, effect, targetUnits, why });

  if (u.observedHours === 0) {
    return isBypassed(args.bypass, options)
      ? decision(leave, c.cost, { case: 'bypassed-unobserved' })
      : decision('verify', null, { case: 'unobserved' });
  }
  if (args.servedTokens === 0) return decision(leave, c.cost, { case: 'idle' });
  if (onDemandEquivalent === null) return decision('verify', null, { case: 'unpriced' });

  const fullEquivalent = scale(onDemandEquivalent, c.hoursPaid, Math.min(u.observedHours, c.hoursPaid));
  const reduceTo = reducedUnits(args);
  const reducedCost = reduceTo === null ? null : scale(c.cost, reduceTo, c.units);
  const minEffect = usd(options.minEffectUsd);
  const reduce = (fits: 'covers-cost' | 'below-equivalent', reduceTo: number, reducedCost: Money) =>
    decision(
      'reduce-units',
      (c.cost - reducedCost) as Money,
      { case: 'reduce-units', fits, fullEquivalent, reduceTo, reducedCost },
      reduceTo,
    );

  if (fullEquivalent >= c.cost) {
    if (reduceTo !== null && reducedCost !== null && ((c.cost - reducedCost) as Money) >= minEffect)
      return reduce('covers-cost', reduceTo, reducedCost);
    return decision('keep', (fullEquivalent - c.cost) as Money, { case: 'keep-saves', fullEquivalent });
  }
  if (reduceTo !== null && reducedCost !== null && fullEquivalent >= reducedCost) {
    if (((c.cost - reducedCost) as Money) >= minEffect)
      return reduce('below-equivalent', reduceTo, reducedCost);
  }
  const loss = (c.cost - fullEquivalent) as Money;
  if (loss < minEffect) {
    return decision('keep', (fullEquivalent - c.cost) as Money, {
      case: 'keep-small-loss',
      fullEquivalent,
      loss,
    });
  }
  return decision(leave, loss, { case: 'leave', fullEquivalent, loss });
}

/** The wording alone: the reasons a reader sees for a decided case (undefined entries are dropped). */
function reasonsFor(why: RecommendationCase, args: RecommendArgs): (string | undefined)[] {
  const { c, u, options, bypass } = args;
  const leaveWords =
    leaveAction(c) === 'let-expire'
      ? `do not renew the ${c.term} term (it cannot be cancelled before it ends)`
      : 'delete it and let the traffic run on-demand';
  const leaveSentence = `${leaveWords[0]!.toUpperCase()}${leaveWords.slice(1)}`;
  const bypassed = isBypassed(bypass, options);
  const bypassLine = `${formatUsd(bypass.cost)} of on-demand traffic (${bypass.tokens.toLocaleString('en-US')} tokens on ${bypass.days} day(s)) went to ${c.model} in the same account and region while it was paid`;
  const unknownNote =
    u.unknownHours > 0 && u.observedHours > 0
      ? `${Math.round(u.unknownHours)} of ${Math.round(c.hoursPaid)} paid hours have no utilization datapoint (unknown, not zero); figures extrapolate the observed hours`
      : undefined;
  const fromSource = u.source ? ` from ${u.source}` : ' (no utilization source configured)';

  switch (why.case) {
    case 'bypassed-unobserved':
      return [
        `Bought but bypassed: ${bypassLine}`,
        `No utilization datapoints for the provisioned model${fromSource}; callers appear to use the base model id, paying on-demand on top of ${formatUsd(c.cost)} of commitment`,
        `Either point the callers at the provisioned model ARN, or ${leaveWords}: saves ${formatUsd(c.cost)} over the period`,
      ];
    case 'unobserved':
      return [
        `No utilization datapoints for ${c.id}${fromSource}: missing datapoints are unknown, not zero`,
        'Check its CloudWatch AWS/Bedrock metrics (ModelId = the provisioned model ARN) before renewing',
      ];
    case 'idle':
      return [
        `Idle: no tokens in ${Math.round(u.idleHours)} observed hour(s)${u.unknownHours > 0 ? `, ${Math.round(u.unknownHours)} hour(s) unknown` : ''}`,
        bypassed ? `Bought but bypassed: ${bypassLine}` : undefined,
        `${leaveSentence}: saves ${formatUsd(c.cost)} over the period`,
      ];
    case 'unpriced':
      return [
        `No standard-tier on-demand usage of ${c.model} in this CUR to price its ${args.servedTokens.toLocaleString('en-US')} tokens against (rates come from CUR, never a rate card)`,
        unknownNote,
      ];
  }
  const ratioText = `On-demand equivalent ${formatUsd(why.fullEquivalent)} vs commitment ${formatUsd(c.cost)} (${(args.valueRatio ?? 0).toFixed(2)}×)`;
  const bypassNote = bypassed
    ? `Also ${bypassLine}: route it to the provisioned model ARN to use spare capacity`
    : undefined;
  switch (why.case) {
    case 'reduce-units':
      return [
        ratioText,
        why.fits === 'covers-cost'
          ? `Peak hour ${Math.round(u.peakTokensPerHour!).toLocaleString('en-US')} tokens fits in ${why.reduceTo} of ${c.units} units with ${pct(options.headroom)} headroom`
          : `${why.reduceTo} unit(s) carry the peak hour with ${pct(options.headroom)} headroom and would cost ${formatUsd(why.reducedCost)}, below the on-demand equivalent`,
        unknownNote,
        bypassNote,
      ];
    case 'keep-saves':
      return [
        `${ratioText}: it saves ${formatUsd((why.fullEquivalent - c.cost) as Money)} over the period`,
        unknownNote,
        bypassNote,
      ];
    case 'keep-small-loss':
      return [
        `${ratioText}: it costs ${formatUsd(why.loss)} more than on-demand, below the ${formatUsd(usd(options.minEffectUsd))} that warrants a change`,
        unknownNote,
        bypassNote,
      ];
    case 'leave':
      return [
        `${ratioText}: on-demand would have cost ${formatUsd(why.loss)} less`,
        leaveSentence,
        c.kind === 'reserved-tier'
          ? 'Reserved tier is priced at the on-demand rate of a fully used reservation: it buys guaranteed capacity, not a discount; keep it only if that guarantee is why it was bought'
          : undefined,
        unknownNote,
        bypassNote,
        idleNote(u),
      ];
  }
}

function idleNote(u: UtilizationSummary): string | undefined {
  return u.activeHours > 0 && u.idleHours > 0
    ? `${Math.round(u.idleHours)} observed hour(s) idle, ${Math.round(u.activeHours)} active`
    : undefined;
}
