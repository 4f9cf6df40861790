import { type DailyFact, TOKEN_USAGE_KINDS } from '../facts/daily-fact.js';
import { conditionKey } from '../keys.js';
import { formatMoney, formatUsd, type Money, parseMoney, ZERO } from '../money.js';
import type { Finding } from '../rules/finding.js';
import { moneyRatio } from '../rules/stats.js';
import { addDays } from '../time/days.js';
import type { WorkloadHour } from './estimate.js';
import type { EarlyFinding } from './rules.js';

/** An early page that CUR may confirm later. */
export interface EarlyPageRecord {
  fingerprint: string;
  conditionKey: string;
  rule: string;
  workload: string;
  day: string;
  hour: string;
  /** The paged hour's estimate (exact decimal string). */
  estimate: string;
}

/** A CUR finding linked to the early page of the same workload and day, with the estimate's error. */
export interface Confirmation {
  workload: string;
  day: string;
  earlyFingerprint: string;
  earlyConditionKey: string;
  /** The paged hour. */
  earlyHour: string;
  curFingerprints: string[];
  curConditionKeys: string[];
  /** Σ recorded hourly estimates of the workload on the day (exact decimal string). */
  estimate: string;
  /** The workload's token usage cost on the day in CUR (exact decimal string). */
  cur: string;
  /** estimate ÷ CUR (display only); null when CUR is zero. */
  ratio: number | null;
  /** Hours of the day with a recorded estimate (24 = the whole day was watched). */
  hoursEstimated: number;
}

/** What the early warning remembers between runs (state store). */
export interface EarlyWarningState {
  version: 1;
  /** `${workload}\u0000${hour}` → estimate of that hour. */
  estimates: Record<
    string,
    { workload: string; hour: string; estimate: string; tokens: number; invocations: number }
  >;
  pages: EarlyPageRecord[];
  confirmations: Confirmation[];
}

export const EMPTY_EARLY_WARNING_STATE: EarlyWarningState = {
  version: 1,
  estimates: {},
  pages: [],
  confirmations: [],
};

/** State older than this many days before `today` is dropped (CUR restates about two weeks back). */
export const EARLY_WARNING_RETENTION_DAYS = 45;

/** Adds a run's hourly estimates and early pages; an hour evaluated again replaces its estimate. */
export function recordEarlyWarning(
  state: EarlyWarningState,
  run: { estimates: readonly WorkloadHour[]; findings: readonly EarlyFinding[]; today: string },
): EarlyWarningState {
  const cutoff = addDays(run.today, -EARLY_WARNING_RETENTION_DAYS);
  const estimates = Object.fromEntries(
    Object.entries(state.estimates).filter(([, e]) => e.hour.slice(0, 10) >= cutoff),
  );
  for (const w of run.estimates) {
    estimates[`${w.workload}\u0000${w.hour}`] = {
      workload: w.workload,
      hour: w.hour,
      estimate: formatMoney(w.estimate),
      tokens: w.tokens,
      invocations: w.invocations,
    };
  }
  const pages = state.pages.filter((p) => p.day >= cutoff);
  for (const f of run.findings) {
    if (f.severity !== 'page' || pages.some((p) => p.fingerprint === f.fingerprint)) continue;
    pages.push({
      fingerprint: f.fingerprint,
      conditionKey: conditionKey(f),
      rule: f.rule,
      workload: f.labels.workload,
      day: f.day,
      hour: f.hour,
      estimate: formatMoney(f.figures.today),
    });
  }
  return {
    version: 1,
    estimates,
    pages,
    confirmations: state.confirmations.filter((c) => c.day >= cutoff),
  };
}

/** The CUR rule an early page anticipates. */
export const CONFIRMING_RULES: ReadonlySet<string> = new Set(['spend-spike']);

export interface LinkResult {
  /** Findings to route: everything but the CUR findings an early page already announced. */
  route: Finding[];
  /** CUR findings linked to an early page (not routed: same condition, no second page). */
  linked: { finding: Finding; confirmation: Confirmation }[];
  confirmations: Confirmation[];
}

/**
 * Links CUR findings to the early pages of the same workload and day: a `spend-spike` finding for a workload
 * the early warning paged about that day is the same condition, confirmed by the bill, and is not routed again.
 * The confirmation records the estimate's error: Σ hourly estimates of the day ÷ the workload's token usage
 * cost that day in CUR.
 */
export function linkCurFindings(
  findings: readonly Finding[],
  state: EarlyWarningState,
  facts: readonly DailyFact[],
): LinkResult {
  const route: Finding[] = [];
  const linked: LinkResult['linked'] = [];
  const byKey = new Map<string, Confirmation>();
  for (const finding of findings) {
    const page = CONFIRMING_RULES.has(finding.rule)
      ? state.pages.find((p) => p.workload === finding.labels.workload && p.day === finding.day)
      : undefined;
    if (!page) {
      route.push(finding);
      continue;
    }
    const key = `${page.workload}\u0000${page.day}`;
    let confirmation = byKey.get(key);
    if (!confirmation) {
      const { estimate, hours } = dayEstimate(state, page.workload, page.day);
      const cur = curTokenCost(facts, page.workload, page.day);
      confirmation = {
        workload: page.workload,
        day: page.day,
        earlyFingerprint: page.fingerprint,
        earlyConditionKey: page.conditionKey,
        earlyHour: page.hour,
        curFingerprints: [],
        curConditionKeys: [],
        estimate: formatMoney(estimate),
        cur: formatMoney(cur),
        ratio: moneyRatio(estimate, cur),
        hoursEstimated: hours,
      };
      byKey.set(key, confirmation);
    }
    confirmation.curFingerprints.push(finding.fingerprint);
    confirmation.curConditionKeys.push(conditionKey(finding));
    linked.push({
      finding: {
        ...finding,
        why: [
          ...finding.why,
          `Confirms the early warning paged for ${page.workload} from the hour ${page.hour.slice(11, 16)} UTC: same condition, not paged again. Estimate ${formatUsd(parseMoney(confirmation.estimate))} over ${confirmation.hoursEstimated} h ÷ CUR ${formatUsd(parseMoney(confirmation.cur))} = ${confirmation.ratio === null ? 'n/a' : confirmation.ratio.toFixed(3)}.`,
        ],
      },
      confirmation,
    });
  }
  return { route, linked, confirmations: [...byKey.values()] };
}

/** Replaces the confirmations of the same workload and day. */
export function recordConfirmations(
  state: EarlyWarningState,
  confirmations: readonly Confirmation[],
): EarlyWarningState {
  const key = (c: Confirmation) => `${c.workload}\u0000${c.day}`;
  const fresh = new Set(confirmations.map(key));
  return {
    ...state,
    confirmations: [...state.confirmations.filter((c) => !fresh.has(key(c))), ...confirmations].sort(
      (a, b) => (a.day !== b.day ? (a.day < b.day ? -1 : 1) : a.workload < b.workload ? -1 : 1),
    ),
  };
}

function dayEstimate(
  state: EarlyWarningState,
  workload: string,
  day: string,
): { estimate: Money; hours: number } {
  let estimate = ZERO as Money;
  let hours = 0;
  for (const e of Object.values(state.estimates)) {
    if (e.workload !== workload || e.hour.slice(0, 10) !== day) continue;
    estimate = (estimate + parseMoney(e.estimate)) as Money;
    hours += 1;
  }
  return { estimate, hours };
}

/** A workload's on-demand token usage cost on a day: what the metrics estimate. */
export function curTokenCost(facts: readonly DailyFact[], workload: string, day: string): Money {
  let total = 0n;
  for (const f of facts) {
    if (f.workload !== workload || f.usageDate !== day || f.lineItemType !== 'Usage') continue;
    if (!TOKEN_USAGE_KINDS.has(f.usageKind)) continue;
    total += f.costUnblended;
  }
  return total as Money;
}
