import type { DailyFact } from '../facts/daily-fact.js';
import { type CostMetric, costOf, isChargeFact } from '../facts/fact-filters.js';
import type { Money } from '../money.js';
import { median } from '../rules/stats.js';
import { commitmentId } from '../rules/utilization.js';
import {
  type CommitmentKind,
  type CommitmentTerm,
  parseCommitmentUsageType,
} from './commitment-usage-type.js';

const QUANTITY_SCALE = 1e15;

/** One Provisioned Throughput or Reserved tier commitment as CUR shows it over the review period. */
export interface Commitment {
  /** Stable id: the provisioned model ARN when CUR carries one, else account/region/model (+ direction). */
  id: string;
  kind: CommitmentKind;
  term: CommitmentTerm;
  direction: 'input' | 'output' | null;
  routing: 'geo' | 'global' | 'in-region' | null;
  custom: boolean;
  model: string;
  modelTier: string;
  region: string;
  account: string;
  accountName: string;
  /** The workload tagged on the commitment (`__unallocated__` when untagged), by cost. */
  workload: string;
  team: string;
  costCenter: string;
  resourceId: string;
  usageTypes: string[];
  /** Σ usage amount: model-unit hours (PT) or 1K-TPM hours (Reserved). */
  unitHours: number;
  /** Model units (PT) or thousands of TPM (Reserved): typical full-day usage ÷ 24. */
  units: number;
  /** Clock hours paid: unitHours ÷ units. */
  hoursPaid: number;
  cost: Money;
  firstSeen: string;
  lastSeen: string;
  /** Days with a fee, oldest first. */
  days: string[];
}

/**
 * Id of a Reserved tier reservation: the model/account/region id plus direction and routing, because input
 * and output (and geo and global) are reserved and billed separately.
 */
export function reservedCommitmentId(
  base: string,
  direction: 'input' | 'output' | null,
  routing: 'geo' | 'global' | 'in-region' | null,
): string {
  return `${base}#reserved-${direction ?? 'tpm'}-${routing ?? 'in-region'}`;
}

function toNumber(quantity: bigint): number {
  return Number(quantity) / QUANTITY_SCALE;
}

function dominant(facts: readonly DailyFact[], metric: CostMetric, pick: (f: DailyFact) => string): string {
  const totals = new Map<string, bigint>();
  for (const f of facts) totals.set(pick(f), (totals.get(pick(f)) ?? 0n) + costOf(f, metric));
  let best: [string, bigint] | null = null;
  for (const entry of [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (best === null || entry[1] > best[1]) best = entry;
  }
  return best?.[0] ?? '';
}

/**
 * The commitments paid for in `facts`: every charge with usage kind `provisioned_hours` or `reserved_hours`,
 * grouped by commitment. Reserved tier input and output reservations are separate commitments.
 */
export function commitmentInventory(facts: readonly DailyFact[], metric: CostMetric): Commitment[] {
  const groups = new Map<string, DailyFact[]>();
  for (const fact of facts) {
    if (fact.usageKind !== 'provisioned_hours' && fact.usageKind !== 'reserved_hours') continue;
    if (!isChargeFact(fact)) continue;
    const parsed = parseCommitmentUsageType(fact.usageType);
    const direction = parsed?.direction ?? null;
    const base = commitmentId(fact);
    const id =
      fact.usageKind === 'reserved_hours'
        ? reservedCommitmentId(base, direction, parsed?.routing ?? null)
        : base;
    const list = groups.get(id) ?? [];
    list.push(fact);
    groups.set(id, list);
  }
  const out: Commitment[] = [];
  for (const [id, list] of groups) {
    const first = list[0]!;
    const parsed = parseCommitmentUsageType(first.usageType);
    const kind: CommitmentKind =
      parsed?.kind ?? (first.usageKind === 'reserved_hours' ? 'reserved-tier' : 'provisioned-throughput');
    const perDay = new Map<string, number>();
    let unitHours = 0;
    let cost = 0n;
    for (const f of list) {
      const amount = toNumber(f.usageAmount);
      perDay.set(f.usageDate, (perDay.get(f.usageDate) ?? 0) + amount);
      unitHours += amount;
      cost += costOf(f, metric);
    }
    const days = [...perDay.keys()].sort();
    // The first and last day are usually partial (bought / deleted mid-day); the days between show the units.
    const inner = days.length > 2 ? days.slice(1, -1) : days;
    const units = roundTo(median(inner.map((d) => perDay.get(d)! / 24)), 3);
    const terms = [...new Set(list.map((f) => parseCommitmentUsageType(f.usageType)?.term ?? 'unknown'))];
    out.push({
      id,
      kind,
      term: terms.length === 1 ? terms[0]! : (terms.find((t) => t !== 'unknown') ?? 'unknown'),
      direction: parsed?.direction ?? null,
      routing: parsed?.routing ?? null,
      custom: parsed?.custom ?? false,
      model: dominant(list, metric, (f) => f.model),
      modelTier: dominant(list, metric, (f) => f.modelTier),
      region: dominant(list, metric, (f) => f.region),
      account: dominant(list, metric, (f) => f.usageAccount),
      accountName: dominant(list, metric, (f) => f.usageAccountName),
      workload: dominant(list, metric, (f) => f.workload),
      team: dominant(list, metric, (f) => f.team),
      costCenter: dominant(list, metric, (f) => f.costCenter),
      resourceId: dominant(list, metric, (f) => f.resourceId),
      usageTypes: [...new Set(list.map((f) => f.usageType))].sort(),
      unitHours: roundTo(unitHours, 6),
      units,
      hoursPaid: units > 0 ? roundTo(unitHours / units, 3) : 0,
      cost: cost as Money,
      firstSeen: days[0]!,
      lastSeen: days.at(-1)!,
      days,
    });
  }
  return out.sort((a, b) => (a.cost === b.cost ? (a.id < b.id ? -1 : 1) : a.cost > b.cost ? -1 : 1));
}

function roundTo(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
