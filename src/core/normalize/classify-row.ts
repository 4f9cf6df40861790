import { type DailyFact, TOKEN_USAGE_KINDS } from '../facts/daily-fact.js';
import { USAGE_LINE_ITEM_TYPES } from '../facts/fact-filters.js';
import { tupleKey } from '../keys.js';
import { type AttributionOptions, accountEnvironment, createAttributor } from './attribution.js';
import type { ModelCatalog } from './model-catalog.js';
import { resolveRegion } from './region.js';
import { resolveModel } from './resolve-model.js';
import { parseResource, resourceKindOf } from './resource.js';
import type { Stage1Row } from './stage1-row.js';
import { type MultiplierSource, tokenMultiplier } from './units.js';
import { parseUsageType } from './usage-type.js';

/** Every DailyFact field that identifies a fact; the rest are sums. */
export type FactKey = Omit<DailyFact, 'tokens' | 'usageAmount' | 'costUnblended' | 'costNet' | 'lineItems'>;

/** The fact key without its day and billing period: what classifying a row decides. */
/** What normalisation needs besides the rows: the model catalog, attribution options and provenance. */
export interface NormalizeContext {
  catalog: ModelCatalog;
  config: AttributionOptions;
  sourceExport: string;
  snapshotId: string;
}

export type ClassKey = Omit<FactKey, 'usageDate' | 'billingPeriod'>;

export interface ClassifiedRow {
  key: ClassKey;
  /** Tokens per usage unit, or null when the row carries no token metric. */
  multiplier: bigint | null;
  multiplierSource: MultiplierSource | null;
  /** Raw model token / product name when the model is `unknown:`. */
  unknownModel: string | null;
  /** A usage row whose usage type matched no known family. */
  unrecognisedUsageType: boolean;
}

/**
 * Returns a classifier bound to one context. A delivery's rows repeat the same account, usage type, resource
 * and tags on every day, so the classification is memoised on every row field it may read (all but the day,
 * the period and the sums); the result is still a pure function of the row.
 */
export function createRowClassifier(ctx: NormalizeContext): (row: Stage1Row) => ClassifiedRow {
  const classifyUncached = createUncachedClassifier(ctx);
  const classified = new Map<string, ClassifiedRow>();
  // Rows of one class usually arrive together (the DuckDB engine orders them so): comparing with the previous
  // row is far cheaper than building the cache key.
  let previous: { row: Stage1Row; result: ClassifiedRow } | undefined;
  return (row) => {
    if (previous !== undefined && sameClass(previous.row, row)) return previous.result;
    const cacheKey = tupleKey([
      row.payerAccount,
      row.usageAccount,
      row.usageAccountName ?? '\u0001',
      row.billingEntity,
      row.productCode,
      row.productName ?? '\u0001',
      row.region ?? '\u0001',
      row.usageType,
      row.operation ?? '\u0001',
      row.pricingUnit ?? '\u0001',
      row.itemDescription ?? '\u0001',
      row.resourceId ?? '\u0001',
      row.lineItemType,
      row.iamPrincipal ?? '\u0001',
      tagsKey(row.resourceTags),
      tagsKey(row.principalTags),
      tagsKey(row.accountTags),
    ]);
    let result = classified.get(cacheKey);
    if (result === undefined) {
      result = classifyUncached(row);
      classified.set(cacheKey, result);
    }
    previous = { row, result };
    return result;
  };
}

/** The fields of the cache key, compared directly. */
function sameClass(a: Stage1Row, b: Stage1Row): boolean {
  return (
    a.usageType === b.usageType &&
    a.usageAccount === b.usageAccount &&
    a.resourceId === b.resourceId &&
    a.iamPrincipal === b.iamPrincipal &&
    a.payerAccount === b.payerAccount &&
    a.usageAccountName === b.usageAccountName &&
    a.billingEntity === b.billingEntity &&
    a.productCode === b.productCode &&
    a.productName === b.productName &&
    a.region === b.region &&
    a.operation === b.operation &&
    a.pricingUnit === b.pricingUnit &&
    a.itemDescription === b.itemDescription &&
    a.lineItemType === b.lineItemType &&
    samePairs(a.resourceTags, b.resourceTags) &&
    samePairs(a.principalTags, b.principalTags) &&
    samePairs(a.accountTags, b.accountTags)
  );
}

function samePairs(a: Stage1Row['resourceTags'], b: Stage1Row['resourceTags']): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  return a.every(([key, value], i) => b[i]![0] === key && b[i]![1] === value);
}

// NUL separates the fields of a row's cache key and \u0001 stands for NULL; neither occurs in CUR text.
function tagsKey(pairs: Stage1Row['resourceTags']): string {
  let key = '';
  for (const [name, value] of pairs) key += `${name}\u0002${value}\u0003`;
  return key;
}

function createUncachedClassifier(ctx: NormalizeContext): (row: Stage1Row) => ClassifiedRow {
  const attribute = createAttributor(ctx.config);
  return (row) => {
    const parsed = parseUsageType(row.usageType, row.productCode);

    const marketplace = row.billingEntity.trim().toLowerCase() === 'aws marketplace';
    const lineItemType = row.lineItemType.trim();
    const isUsage = USAGE_LINE_ITEM_TYPES.has(lineItemType);
    const isTax = lineItemType.toLowerCase() === 'tax';
    const resource = parseResource(row.resourceId);

    const model = resolveModel(ctx.catalog, {
      parsed,
      marketplace,
      productName: row.productName,
      productCode: row.productCode,
      resource,
      isTax,
    });

    const usageKind = isUsage ? parsed.usageKind : 'other';
    const unit =
      isUsage && TOKEN_USAGE_KINDS.has(usageKind)
        ? tokenMultiplier(row.pricingUnit, row.itemDescription, marketplace || parsed.isMarketplace)
        : null;

    const attribution = attribute(row);
    const configName = ctx.config.accounts[row.usageAccount]?.name ?? '';
    const key: ClassKey = {
      payerAccount: row.payerAccount,
      usageAccount: row.usageAccount,
      usageAccountName: row.usageAccountName?.trim() || configName,
      region: resolveRegion(row.region, row.itemDescription, parsed.regionCode),
      billingPath: marketplace ? 'marketplace' : 'first_party',
      model: model.model,
      modelFamily: model.family,
      modelProvider: model.provider,
      modelTier: model.tier,
      usageKind,
      serviceTier: parsed.serviceTier,
      routing: parsed.routing,
      context: parsed.context,
      resourceKind: resourceKindOf(resource, parsed.usageKind),
      resourceId: row.resourceId?.trim() ?? '',
      usageType: row.usageType,
      workload: attribution.workload,
      team: attribution.team,
      costCenter: attribution.costCenter,
      environment: attribution.environment,
      accountEnvironment: accountEnvironment(row.usageAccount, row.usageAccountName, ctx.config),
      attributionSource: attribution.attributionSource,
      iamPrincipal: row.iamPrincipal?.trim() ?? '',
      lineItemType,
      pricingUnit: row.pricingUnit?.trim() ?? '',
      sourceExport: ctx.sourceExport,
      snapshotId: ctx.snapshotId,
    };
    return {
      key,
      multiplier: unit?.multiplier ?? null,
      multiplierSource: unit?.source ?? null,
      unknownModel: model.unknownRaw,
      unrecognisedUsageType: isUsage && parsed.family === 'unrecognised',
    };
  };
}
