import { type DailyFact, UNALLOCATED } from '../facts/daily-fact.js';
import {
  COST_METRICS,
  type CostMetric,
  costOf,
  INPUT_SIDE_USAGE_KINDS,
  isChargeFact,
  isOnDemandTokens,
  isProvisionedFee,
  isUsageFact,
  TOKEN_USAGE_KINDS,
} from '../facts/fact-filters.js';
import { tupleKey } from '../keys.js';
import type { Money } from '../money.js';
import { daysBetween } from '../time/days.js';
import { SeriesGrid } from './series-grid.js';

/** A money measure in one cost metric: `usage_cost` → `usage_cost_unblended` / `usage_cost_net`. */
export function metricName<B extends string>(base: B, metric: CostMetric): `${B}_${CostMetric}` {
  return `${base}_${metric}`;
}

function inBothMetrics<B extends string>(bases: readonly B[]): `${B}_${CostMetric}`[] {
  return bases.flatMap((b) => COST_METRICS.map((m) => metricName(b, m)));
}

/**
 * The grains the rules judge, their key columns and their measures. The SQL statements in `sql/series/` produce
 * exactly these columns (by these names) and `ruleSeriesFromFacts` builds the same sums from facts; a test holds
 * the two equal.
 */
export const SERIES_GRAINS = {
  /** Usage facts by workload × model: spend-spike (model level), verbose-output, cache-regression. */
  workload_model: {
    keys: ['workload', 'model'],
    numbers: ['tokens_input', 'tokens_output', 'tokens_cache_read', 'tokens_input_side'],
    money: inBothMetrics(['usage_cost', 'output_cost', 'input_cost', 'cache_read_cost', 'input_side_cost']),
  },
  /** Usage facts by workload: spend-spike (workload level), model-mix-shift. */
  workload: {
    keys: ['workload'],
    numbers: ['tokens', 'tokens_premium'],
    money: inBothMetrics(['usage_cost', 'premium_cost']),
  },
  /** Every charge by day: untagged-spend. */
  day: {
    keys: [],
    numbers: [],
    money: inBothMetrics(['charge_cost', 'unallocated_cost']),
  },
  /** Charges in prod accounts by workload × attributed environment: dev-in-prod. */
  prod_environment: {
    keys: ['workload', 'environment'],
    numbers: [],
    money: inBothMetrics(['charge_cost']),
  },
  /** On-demand token usage by model × account × region: idle-provisioned's "bought but bypassed". */
  on_demand: {
    keys: ['model', 'usage_account', 'region'],
    numbers: [],
    money: inBothMetrics(['usage_cost']),
  },
} as const;

export type SeriesGrainName = keyof typeof SERIES_GRAINS;

/** A grain's money measures in the given cost metrics only. */
export function moneyMeasures(grain: SeriesGrainName, metrics: readonly CostMetric[]): string[] {
  return (SERIES_GRAINS[grain].money as readonly string[]).filter((m) =>
    metrics.some((metric) => m.endsWith(`_${metric}`)),
  );
}
type Grain<G extends SeriesGrainName> = (typeof SERIES_GRAINS)[G];
export type GrainGrid<G extends SeriesGrainName> = SeriesGrid<
  Grain<G>['numbers'][number],
  Grain<G>['money'][number]
>;

/** Key of the single series of a grain without key columns. */
export const ALL = 'all';

/** Everything the rules read: daily series per grain, plus the few commitment-fee facts themselves. */
export interface RuleSeries {
  /** First and last day the series cover (the evaluated days plus their history). */
  firstDay: string;
  lastDay: string;
  /** Earliest usage day with any fact in the window: days before it are "no data", not "no spend". */
  coverageStart: string | null;
  /** Facts in the window the series summarise. */
  factCount: number;
  workloadModel: GrainGrid<'workload_model'>;
  workload: GrainGrid<'workload'>;
  day: GrainGrid<'day'>;
  prodEnvironment: GrainGrid<'prod_environment'>;
  onDemand: GrainGrid<'on_demand'>;
  /** Provisioned Throughput fees (charges of usage kind provisioned_hours), as facts: one per commitment and day. */
  commitmentFees: readonly DailyFact[];
}

/** Series key of a grain's key column values, in the grain's key order. */
export function grainKey(values: readonly string[]): string {
  return values.length === 0 ? ALL : tupleKey(values);
}

/** An empty grid of a grain over the window, for the given series keys. */
export function emptyGrid<G extends SeriesGrainName>(
  grain: G,
  keys: Iterable<string>,
  firstDay: string,
  lastDay: string,
): GrainGrid<G> {
  const spec = SERIES_GRAINS[grain];
  return new SeriesGrid({
    keys,
    firstDay,
    dayCount: firstDay <= lastDay ? daysBetween(firstDay, lastDay).length : 0,
    numbers: spec.numbers as readonly Grain<G>['numbers'][number][],
    money: spec.money as readonly Grain<G>['money'][number][],
  });
}

/** One fact's contribution to each grain it belongs to (null: not in that grain). */
interface Contribution {
  key: string;
  numbers: Record<string, number>;
  money: Record<string, (metric: CostMetric) => Money>;
}

const ZERO_COST = () => 0n as Money;

function contributions(fact: DailyFact): Partial<Record<SeriesGrainName, Contribution>> {
  const out: Partial<Record<SeriesGrainName, Contribution>> = {};
  const cost = (metric: CostMetric) => costOf(fact, metric);
  const kind = fact.usageKind;
  if (isUsageFact(fact)) {
    const token = TOKEN_USAGE_KINDS.has(kind);
    const inputSide = INPUT_SIDE_USAGE_KINDS.has(kind);
    out.workload_model = {
      key: tupleKey([fact.workload, fact.model]),
      numbers: {
        tokens_input: kind === 'input' ? fact.tokens : 0,
        tokens_output: kind === 'output' ? fact.tokens : 0,
        tokens_cache_read: kind === 'cache_read' ? fact.tokens : 0,
        tokens_input_side: inputSide ? fact.tokens : 0,
      },
      money: {
        usage_cost: cost,
        output_cost: kind === 'output' ? cost : ZERO_COST,
        input_cost: kind === 'input' ? cost : ZERO_COST,
        cache_read_cost: kind === 'cache_read' ? cost : ZERO_COST,
        input_side_cost: inputSide ? cost : ZERO_COST,
      },
    };
    const premium = token && fact.modelTier === 'premium';
    out.workload = {
      key: fact.workload,
      numbers: { tokens: token ? fact.tokens : 0, tokens_premium: premium ? fact.tokens : 0 },
      money: { usage_cost: cost, premium_cost: premium ? cost : ZERO_COST },
    };
  }
  if (isChargeFact(fact)) {
    out.day = {
      key: ALL,
      numbers: {},
      money: { charge_cost: cost, unallocated_cost: fact.workload === UNALLOCATED ? cost : ZERO_COST },
    };
    if (fact.accountEnvironment === 'prod') {
      out.prod_environment = {
        key: tupleKey([fact.workload, fact.environment]),
        numbers: {},
        money: { charge_cost: cost },
      };
    }
  }
  if (isOnDemandTokens(fact)) {
    out.on_demand = {
      key: tupleKey([fact.model, fact.usageAccount, fact.region]),
      numbers: {},
      money: { usage_cost: cost },
    };
  }
  return out;
}

/**
 * Builds the rule series from facts in TypeScript: the reference the SQL statements are tested against, and
 * the way the rules' table-driven tests feed them. Production reads the series the SQL builds.
 */
export function ruleSeriesFromFacts(
  facts: readonly DailyFact[],
  window?: { firstDay: string; lastDay: string },
): RuleSeries {
  let coverageStart: string | null = null;
  let latest: string | null = null;
  const keys = new Map<SeriesGrainName, Set<string>>(
    (Object.keys(SERIES_GRAINS) as SeriesGrainName[]).map((g) => [g, new Set()]),
  );
  const perFact = facts.map((fact) => {
    if (coverageStart === null || fact.usageDate < coverageStart) coverageStart = fact.usageDate;
    if (latest === null || fact.usageDate > latest) latest = fact.usageDate;
    const parts = contributions(fact);
    for (const [grain, c] of Object.entries(parts)) keys.get(grain as SeriesGrainName)!.add(c.key);
    return parts;
  });
  const firstDay = window?.firstDay ?? coverageStart ?? '1970-01-01';
  const lastDay = window?.lastDay ?? latest ?? firstDay;
  const grids = {
    workload_model: emptyGrid('workload_model', keys.get('workload_model')!, firstDay, lastDay),
    workload: emptyGrid('workload', keys.get('workload')!, firstDay, lastDay),
    day: emptyGrid('day', keys.get('day')!, firstDay, lastDay),
    prod_environment: emptyGrid('prod_environment', keys.get('prod_environment')!, firstDay, lastDay),
    on_demand: emptyGrid('on_demand', keys.get('on_demand')!, firstDay, lastDay),
  } as Record<SeriesGrainName, SeriesGrid>;
  facts.forEach((fact, i) => {
    for (const [grain, c] of Object.entries(perFact[i]!)) {
      const grid = grids[grain as SeriesGrainName];
      const slot = grid.slot(c.key, fact.usageDate);
      if (slot < 0) continue;
      grid.mark(slot);
      for (const [name, value] of Object.entries(c.numbers)) grid.addNumber(name, slot, value);
      for (const [base, of] of Object.entries(c.money)) {
        for (const metric of COST_METRICS) grid.addMoney(metricName(base, metric), slot, of(metric));
      }
    }
  });
  const inWindow = (f: DailyFact) => f.usageDate >= firstDay && f.usageDate <= lastDay;
  return {
    firstDay,
    lastDay,
    coverageStart,
    factCount: facts.filter(inWindow).length,
    workloadModel: grids.workload_model as GrainGrid<'workload_model'>,
    workload: grids.workload as GrainGrid<'workload'>,
    day: grids.day as GrainGrid<'day'>,
    prodEnvironment: grids.prod_environment as GrainGrid<'prod_environment'>,
    onDemand: grids.on_demand as GrainGrid<'on_demand'>,
    commitmentFees: facts.filter((f) => isProvisionedFee(f) && inWindow(f)),
  };
}
