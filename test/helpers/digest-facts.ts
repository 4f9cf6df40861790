import type { FactQuery, FactStore, SnapshotMeta, StoredSnapshot } from '../../src/app/ports/ingest.js';
import type { DigestOptions } from '../../src/core/digest/weekly-digest.js';
import { type DailyFact, UNALLOCATED } from '../../src/core/facts/daily-fact.js';
import { parseMoney, parseQuantity } from '../../src/core/money.js';
import { addDays } from '../../src/core/time/days.js';

export const ACCOUNT = '111111111111';

/** The digest options the tests use unless they test an option: split unallocated, top 5, unblended, 48 h. */
export const DIGEST_OPTIONS: DigestOptions = {
  unallocated: 'split',
  topWorkloads: 5,
  topMovers: 5,
  costMetric: 'unblended',
  finalAfterHours: 48,
};

type FactInput = Partial<Omit<DailyFact, 'costUnblended' | 'costNet'>> & { cost?: string; costNet?: string };

const TIERS: Record<string, DailyFact['modelTier']> = {
  'anthropic.claude-sonnet-4-6': 'standard',
  'anthropic.claude-opus-4-1': 'premium',
  'anthropic.claude-haiku-4-5': 'economy',
  'amazon.nova-2-lite': 'economy',
};

/** A fact with realistic defaults: support-bot in cc-100 / support, Sonnet 4.6 input tokens, $0. */
export function dfact(input: FactInput = {}): DailyFact {
  const { cost = '0', costNet, ...rest } = input;
  const usageDate = rest.usageDate ?? '2026-06-03';
  const model = rest.model ?? 'anthropic.claude-sonnet-4-6';
  const usageKind = rest.usageKind ?? 'input';
  return {
    usageDate,
    billingPeriod: usageDate.slice(0, 7),
    payerAccount: ACCOUNT,
    usageAccount: ACCOUNT,
    usageAccountName: 'genai-prod',
    region: 'us-east-1',
    billingPath: 'first_party',
    model,
    modelFamily: model,
    modelProvider: model.split('.')[0] ?? 'unknown',
    modelTier: Object.hasOwn(TIERS, model) ? TIERS[model]! : 'standard',
    usageKind,
    serviceTier: 'standard',
    routing: 'in_region',
    context: 'standard',
    resourceKind: 'foundation-model',
    resourceId: '',
    usageType: `USE1-${model}-${usageKind}-tokens`,
    workload: 'support-bot',
    team: 'support',
    costCenter: 'cc-100',
    environment: 'prod',
    accountEnvironment: 'prod',
    attributionSource: 'resource_tag',
    iamPrincipal: `arn:aws:iam::${ACCOUNT}:role/app`,
    lineItemType: 'Usage',
    tokens: 0,
    usageAmount: parseQuantity(String(rest.tokens ?? 0)),
    pricingUnit: 'tokens',
    lineItems: 1,
    sourceExport: 'cur2',
    snapshotId: `snap-${usageDate.slice(0, 7)}`,
    ...rest,
    costUnblended: parseMoney(cost),
    costNet: parseMoney(costNet ?? cost),
  };
}

/** Small deterministic PRNG (mulberry32) so generated weeks are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface WorkloadSpec {
  workload: string;
  team: string;
  costCenter: string;
  models: string[];
  /** Daily spend scale in dollars. */
  scale: number;
}

export const WORKLOADS: readonly WorkloadSpec[] = [
  {
    workload: 'support-bot',
    team: 'support',
    costCenter: 'cc-100',
    models: ['anthropic.claude-sonnet-4-6', 'anthropic.claude-haiku-4-5'],
    scale: 1400,
  },
  {
    workload: 'agent-escalation',
    team: 'support',
    costCenter: 'cc-100',
    models: ['anthropic.claude-opus-4-1'],
    scale: 700,
  },
  {
    workload: 'doc-summarizer',
    team: 'content',
    costCenter: 'cc-200',
    models: ['amazon.nova-2-lite'],
    scale: 160,
  },
  {
    workload: 'search-rerank',
    team: 'search',
    costCenter: 'cc-200',
    models: ['anthropic.claude-haiku-4-5'],
    scale: 180,
  },
  {
    workload: 'code-review',
    team: 'platform',
    costCenter: 'cc-300',
    models: ['anthropic.claude-sonnet-4-6'],
    scale: 520,
  },
  {
    workload: 'sql-assistant',
    team: 'data',
    costCenter: 'cc-300',
    models: ['anthropic.claude-sonnet-4-6', 'amazon.nova-2-lite'],
    scale: 120,
  },
];

/** A money amount with up to 10 decimals, like CUR's sub-cent line items. */
function amount(rand: () => number, scale: number): string {
  return (rand() * scale).toFixed(10);
}

/**
 * Bedrock facts for every day in [from, to]: token usage for each workload and model (input, output, cache
 * read, cache write), untagged usage (→ unallocated), a tagged Provisioned Throughput commitment
 * (doc-summarizer), an untagged Reserved tier commitment (→ shared-commitments), a credit and tax.
 */
export function generateFacts(
  from: string,
  to: string,
  seed = 7,
  snapshot?: (period: string) => string,
): DailyFact[] {
  const rand = prng(seed);
  const facts: DailyFact[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const period = day.slice(0, 7);
    const snap = snapshot?.(period) ?? `snap-${period}`;
    const base = { usageDate: day, billingPeriod: period, snapshotId: snap };
    for (const w of WORKLOADS) {
      for (const model of w.models) {
        const input = Math.round(rand() * 40_000_000);
        const cacheRead = Math.round(input * (0.2 + rand() * 0.5));
        facts.push(
          dfact({
            ...base,
            ...w,
            model,
            usageKind: 'input',
            tokens: input,
            cost: amount(rand, w.scale * 0.35),
          }),
          dfact({
            ...base,
            ...w,
            model,
            usageKind: 'output',
            tokens: Math.round(input / 8),
            cost: amount(rand, w.scale * 0.45),
          }),
          dfact({
            ...base,
            ...w,
            model,
            usageKind: 'cache_read',
            tokens: cacheRead,
            cost: amount(rand, w.scale * 0.05),
          }),
          dfact({
            ...base,
            ...w,
            model,
            usageKind: 'cache_write',
            tokens: Math.round(input / 20),
            cost: amount(rand, w.scale * 0.15),
          }),
        );
      }
    }
    facts.push(
      dfact({
        ...base,
        workload: UNALLOCATED,
        team: UNALLOCATED,
        costCenter: UNALLOCATED,
        attributionSource: 'none',
        model: 'anthropic.claude-sonnet-4-6',
        usageKind: 'input',
        tokens: 3_000_000,
        cost: amount(rand, 30),
      }),
      dfact({
        ...base,
        workload: UNALLOCATED,
        team: UNALLOCATED,
        costCenter: 'cc-200',
        attributionSource: 'account',
        model: 'amazon.nova-2-lite',
        usageKind: 'output',
        tokens: 900_000,
        cost: amount(rand, 6),
      }),
      dfact({
        ...base,
        ...WORKLOADS[2]!,
        model: 'amazon.nova-2-lite',
        usageKind: 'provisioned_hours',
        serviceTier: 'provisioned',
        resourceKind: 'provisioned-model',
        resourceId: `arn:aws:bedrock:us-east-1:${ACCOUNT}:provisioned-model/pt-docs`,
        usageType: 'USE1-Nova2.0Lite-ProvisionedThroughput-1month-ModelUnits',
        usageAmount: parseQuantity('24'),
        pricingUnit: 'hours',
        cost: '1320',
      }),
      dfact({
        ...base,
        workload: UNALLOCATED,
        team: UNALLOCATED,
        costCenter: UNALLOCATED,
        attributionSource: 'none',
        model: 'anthropic.claude-sonnet-4-6',
        usageKind: 'reserved_hours',
        serviceTier: 'reserved',
        usageType: 'USE1-Reserved_1Month_InputTPM_Geo-Units',
        usageAmount: parseQuantity('48'),
        pricingUnit: '1M TPM Hour',
        cost: '9.504',
      }),
    );
    if (day.endsWith('5')) {
      facts.push(
        dfact({
          ...base,
          ...WORKLOADS[4]!,
          lineItemType: 'Credit',
          usageKind: 'other',
          model: 'none',
          cost: `-${amount(rand, 20)}`,
        }),
      );
    }
    if (day.endsWith('-01')) {
      facts.push(
        dfact({
          ...base,
          workload: UNALLOCATED,
          team: UNALLOCATED,
          costCenter: UNALLOCATED,
          lineItemType: 'Tax',
          usageKind: 'other',
          model: 'none',
          cost: amount(rand, 50),
        }),
      );
    }
  }
  return facts;
}

/** A FactStore in memory with the real replace-per-(export, period) semantics. */
export function memoryFactStore(
  initial: readonly DailyFact[] = [],
  newestUsageEnd: string | null = null,
): FactStore & { all(): DailyFact[] } {
  const snapshots = new Map<string, { facts: DailyFact[]; meta: SnapshotMeta }>();
  for (const f of initial) {
    const key = `${f.sourceExport}|${f.billingPeriod}`;
    const entry = snapshots.get(key) ?? { facts: [], meta: { snapshotId: f.snapshotId, newestUsageEnd } };
    entry.facts.push(f);
    snapshots.set(key, entry);
  }
  const all = () => [...snapshots.values()].flatMap((s) => s.facts);
  return {
    location: 'memory',
    all,
    async replacePeriod(exportName, billingPeriod, facts, meta) {
      snapshots.set(`${exportName}|${billingPeriod}`, { facts: [...facts], meta });
    },
    async read(query: FactQuery) {
      return all().filter(
        (f) =>
          (query.from === undefined || f.usageDate >= query.from) &&
          (query.to === undefined || f.usageDate <= query.to),
      );
    },
    async snapshots(): Promise<StoredSnapshot[]> {
      return [...snapshots.entries()].map(([k, s]) => {
        const [exportName, billingPeriod] = k.split('|') as [string, string];
        return { exportName, billingPeriod, ...s.meta };
      });
    },
  };
}

/** Long after every test day: every day is final. */
export const ALL_FINAL = new Date('2030-01-01T00:00:00Z');
