import { InputError, ReconciliationError } from '../core/errors.js';
import { type DailyFact, UNALLOCATED } from '../core/facts/daily-fact.js';
import {
  checkDeliveryPeriods,
  judgeShrink,
  overlappingExports,
  type ShrinkHold,
} from '../core/facts/delivery-checks.js';
import { type ModelCoverage, modelCoverage } from '../core/facts/model-coverage.js';
import { type PeriodReconciliation, reconcile } from '../core/facts/reconcile.js';
import { snapshotId as buildSnapshotId } from '../core/keys.js';
import { formatMoney, formatUsd, type Money, sumMoney } from '../core/money.js';
import type { AttributionOptions } from '../core/normalize/attribution.js';
import type { NormalizeContext } from '../core/normalize/classify-row.js';
import { normaliseTagKey } from '../core/normalize/stage1-row.js';
import { type NormalizeWarnings, toDailyFacts } from '../core/normalize/to-daily-facts.js';
import type {
  Delivery,
  FactStore,
  IngestLedger,
  LedgerEntry,
  Stage1Engine,
  Stage1Output,
} from './ports/ingest.js';

/** What ingest needs from the configuration: attribution (`attribution:`, `accounts:`, `environments:`) and `ingest:`. */
export type IngestOptions = AttributionOptions & { ingest: { hold_shrink_share: number } };

export interface IngestDeps {
  engine: Stage1Engine;
  store: FactStore;
  ledger: IngestLedger;
  config: IngestOptions;
  catalog: NormalizeContext['catalog'];
  clock: () => Date;
  /** Re-ingest even when the ledger says the snapshot is unchanged. */
  force?: boolean;
  /** Apply a delivery even when it shrinks a stored period's Bedrock cost past `ingest.hold_shrink_share`. */
  acceptShrink?: boolean;
  onProgress?: (message: string) => void;
}

export interface PeriodReport {
  billingPeriod: string;
  facts: number;
  groups: number;
  reconciliation: PeriodReconciliation;
}

export interface IngestReport {
  objectKey: string;
  exportName: string;
  /** `held`: nothing was written, the delivery would shrink stored spend too much (see `held`). */
  status: 'ingested' | 'unchanged' | 'held';
  format: 'cur2' | 'legacy' | null;
  rowsRead: number;
  bedrockLineItems: number;
  groups: number;
  facts: number;
  cost: Money;
  periods: PeriodReport[];
  emptyFiles: string[];
  /** Spend on known models, on `unknown:<raw>` models and on lines that name no model (null when unchanged). */
  coverage: ModelCoverage | null;
  warnings: string[];
  /** Periods a `held` delivery would have shrunk, with the stored and delivered totals. */
  held: ShrinkHold[];
}

/**
 * Ingests one delivery: stage 1 → stage 2 → reconcile → replace the (export, period) snapshots →
 * record it in the ledger. Facts are written only after every period reconciles; the ledger entry only
 * after every snapshot is written, so a failure at any step leaves the store as it was.
 */
export async function ingestDelivery(delivery: Delivery, deps: IngestDeps): Promise<IngestReport> {
  const progress = deps.onProgress ?? (() => {});
  const previous = await findUnchanged(delivery, deps);
  if (previous) return unchangedReport(delivery, previous.billingPeriods, previous.facts);

  progress(`reading ${delivery.files.length} file(s) of ${delivery.exportName}`);
  const tagKeys = configuredTagKeys(deps.config);
  const stage1 = await deps.engine.run(delivery.files, tagKeys);
  checkDeliveryPeriods(delivery.objectKey, delivery.billingPeriod, stage1.dataPeriods ?? []);
  const snapshotId = buildSnapshotId([{ key: delivery.objectKey, version: delivery.version }]);

  progress(`normalising ${stage1.rows.length} Bedrock usage group(s)`);
  const { facts, warnings } = toDailyFacts(stage1.rows, {
    catalog: deps.catalog,
    config: deps.config,
    sourceExport: delivery.exportName,
    snapshotId,
  });

  const reconciliation = reconcile(stage1.totals, facts);
  const broken = reconciliation.filter((r) => !r.ok);
  if (broken.length > 0) {
    throw new ReconciliationError(
      `${delivery.objectKey}: facts do not reconcile with the input, nothing was written: ${broken
        .map(
          (r) =>
            `${r.billingPeriod}: facts ${formatMoney(r.factCost)} USD vs line items ${formatMoney(r.inputCost)} USD, ` +
            `${r.factLineItems} vs ${r.inputLineItems} line items`,
        )
        .join('; ')}`,
    );
  }

  const periods = new Set(reconciliation.map((r) => r.billingPeriod));
  if (delivery.billingPeriod) periods.add(delivery.billingPeriod);
  const held: ShrinkHold[] = [];
  for (const billingPeriod of [...periods].sort()) {
    const hold = await checkAgainstStored(delivery, billingPeriod, facts, deps);
    if (hold) held.push(hold);
  }
  if (held.length > 0 && !deps.acceptShrink) {
    return { ...heldReport(delivery, stage1, facts, reconciliation, [...periods].sort()), held };
  }

  const reports: PeriodReport[] = [];
  for (const billingPeriod of [...periods].sort()) {
    const periodFacts = facts.filter((f) => f.billingPeriod === billingPeriod);
    progress(`writing ${periodFacts.length} fact(s) for ${billingPeriod}`);
    await deps.store.replacePeriod(delivery.exportName, billingPeriod, periodFacts, {
      snapshotId,
      newestUsageEnd: stage1.newestUsageEnd,
    });
    reports.push({
      billingPeriod,
      facts: periodFacts.length,
      groups: stage1.rows.filter((r) => r.billingPeriod === billingPeriod).length,
      reconciliation:
        reconciliation.find((r) => r.billingPeriod === billingPeriod) ?? emptyRecon(billingPeriod),
    });
  }

  const cost = sumMoney(facts.map((f) => f.costUnblended));
  await deps.ledger.put({
    objectKey: delivery.objectKey,
    version: delivery.version,
    exportName: delivery.exportName,
    snapshotId,
    billingPeriods: reports.map((r) => r.billingPeriod),
    ingestedAt: deps.clock().toISOString(),
    facts: facts.length,
    costUnblended: formatMoney(cost),
  });

  return {
    objectKey: delivery.objectKey,
    exportName: delivery.exportName,
    status: 'ingested',
    format: stage1.format,
    rowsRead: stage1.rowsRead,
    bedrockLineItems: stage1.totals.reduce((n, t) => n + t.lineItems, 0),
    groups: stage1.rows.length,
    facts: facts.length,
    cost,
    periods: reports,
    emptyFiles: stage1.emptyFiles,
    coverage: modelCoverage(facts),
    warnings: describeWarnings(warnings, facts),
    held,
  };
}

/**
 * What replacing (export, period) with `facts` would do to the store: refused when another export already
 * holds the same accounts' Bedrock spend for the period (it would count twice); a hold when it shrinks the
 * stored cost to nothing or past the configured share.
 */
async function checkAgainstStored(
  delivery: Delivery,
  billingPeriod: string,
  facts: readonly DailyFact[],
  deps: IngestDeps,
): Promise<ShrinkHold | null> {
  const stored = await deps.store.read({ billingPeriod });
  const delivered = facts.filter((f) => f.billingPeriod === billingPeriod);
  const overlaps = overlappingExports(delivery.exportName, delivered, stored);
  if (overlaps.length > 0) {
    throw new InputError(
      `${delivery.objectKey}: the Bedrock spend of ${overlaps
        .map(
          (o) =>
            `account(s) ${o.accounts.join(', ')} for ${billingPeriod} is already stored under export "${o.exportName}" ` +
            `(${deps.store.location}/billing_period=${billingPeriod}/${o.exportName}.parquet)`,
        )
        .join(
          '; ',
        )}; storing it again as export "${delivery.exportName}" would count it twice, nothing was written. ` +
        'Ingest each CUR export once (its export root, not also a copy of its files): remove the other snapshot, or ingest only one of them.',
    );
  }
  const own = stored.filter((f) => f.sourceExport === delivery.exportName);
  return judgeShrink(
    billingPeriod,
    { cost: sumMoney(own.map((f) => f.costUnblended)), facts: own.length },
    { cost: sumMoney(delivered.map((f) => f.costUnblended)), facts: delivered.length },
    deps.config.ingest.hold_shrink_share,
  );
}

function heldReport(
  delivery: Delivery,
  stage1: Stage1Output,
  facts: readonly DailyFact[],
  reconciliation: readonly PeriodReconciliation[],
  periods: readonly string[],
): IngestReport {
  return {
    objectKey: delivery.objectKey,
    exportName: delivery.exportName,
    status: 'held',
    format: stage1.format,
    rowsRead: stage1.rowsRead,
    bedrockLineItems: stage1.totals.reduce((n, t) => n + t.lineItems, 0),
    groups: stage1.rows.length,
    facts: facts.length,
    cost: sumMoney(facts.map((f) => f.costUnblended)),
    periods: periods.map((billingPeriod) => ({
      billingPeriod,
      facts: facts.filter((f) => f.billingPeriod === billingPeriod).length,
      groups: stage1.rows.filter((g) => g.billingPeriod === billingPeriod).length,
      reconciliation:
        reconciliation.find((r) => r.billingPeriod === billingPeriod) ?? emptyRecon(billingPeriod),
    })),
    emptyFiles: stage1.emptyFiles,
    coverage: modelCoverage(facts),
    warnings: [],
    held: [],
  };
}

/** Normalised tag keys of every attribution field, for stage 1 to keep. */
export function configuredTagKeys(config: Pick<AttributionOptions, 'attribution'>): string[] {
  const keys = Object.values(config.attribution.tag_keys).flat().map(normaliseTagKey);
  return [...new Set(keys)].sort();
}

/**
 * The ledger entry when this exact snapshot was ingested before and its facts are still stored; callers
 * that must download a delivery first (S3) ask before downloading.
 */
export async function findUnchanged(
  delivery: Delivery,
  deps: Pick<IngestDeps, 'ledger' | 'store' | 'force'>,
): Promise<LedgerEntry | null> {
  if (deps.force) return null;
  const previous = await deps.ledger.get(delivery.objectKey);
  if (!previous || previous.version !== delivery.version) return null;
  return (await stillStored(previous, deps.store)) ? previous : null;
}

async function stillStored(entry: { exportName: string; billingPeriods: string[] }, store: FactStore) {
  const stored = await store.snapshots();
  return entry.billingPeriods.every((p) =>
    stored.some((s) => s.billingPeriod === p && s.exportName === entry.exportName),
  );
}

function unchangedReport(delivery: Delivery, billingPeriods: string[], facts: number): IngestReport {
  return {
    objectKey: delivery.objectKey,
    exportName: delivery.exportName,
    status: 'unchanged',
    format: null,
    rowsRead: 0,
    bedrockLineItems: 0,
    groups: 0,
    facts,
    cost: 0n as Money,
    periods: billingPeriods.map((billingPeriod) => ({
      billingPeriod,
      facts: 0,
      groups: 0,
      reconciliation: emptyRecon(billingPeriod),
    })),
    emptyFiles: [],
    coverage: null,
    warnings: [],
    held: [],
  };
}

function emptyRecon(billingPeriod: string): PeriodReconciliation {
  const zero = 0n as Money;
  return {
    billingPeriod,
    inputCost: zero,
    factCost: zero,
    difference: zero,
    inputNetCost: zero,
    factNetCost: zero,
    inputLineItems: 0,
    factLineItems: 0,
    ok: true,
  };
}

function describeWarnings(warnings: NormalizeWarnings, facts: readonly DailyFact[]): string[] {
  const lines: string[] = [];
  for (const [raw, { lineItems, cost }] of warnings.unknownModels) {
    lines.push(
      `unknown model "${raw}": ${lineItems} line item(s), ${formatUsd(cost)} kept as model unknown:${raw}`,
    );
  }
  for (const [usageType, { lineItems, cost }] of warnings.unknownUsageTypes) {
    lines.push(
      `unrecognised usage type "${usageType}": ${lineItems} line item(s), ${formatUsd(cost)} kept as usage kind "other"`,
    );
  }
  for (const [key, { lineItems, cost }] of warnings.unitFallbacks) {
    const [unit, usageType] = key.split('|');
    lines.push(
      `usage type "${usageType}" (pricing unit "${unit}") does not say its token unit: ${lineItems} line item(s), ${formatUsd(cost)} counted in the path's documented unit`,
    );
  }
  const unallocated = facts.filter((f) => f.workload === UNALLOCATED);
  if (unallocated.length > 0) {
    const cost = sumMoney(unallocated.map((f) => f.costUnblended));
    lines.push(
      `unattributed spend: ${formatUsd(cost)} in workload ${UNALLOCATED} (no workload tag, principal tag or account default)`,
    );
  }
  return lines;
}
