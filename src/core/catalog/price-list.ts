import {
  type CatalogEntryInput,
  type ModelCatalog,
  resolveMarketplaceName,
  resolveUsageTypeToken,
  stripMarketplaceSuffix,
} from '../normalize/model-catalog.js';
import { identityFromName, tierFromFamilyWords } from '../normalize/model-identity.js';
import { parseUsageType } from '../normalize/usage-type.js';

/** The Price List service codes that carry Amazon Bedrock SKUs (cur-bedrock.md §1.1). */
export const BEDROCK_SERVICE_CODES = [
  'AmazonBedrock',
  'AmazonBedrockFoundationModels',
  'AmazonBedrockService',
] as const;

/** The regions that serve the Price List Query API. */
export const PRICING_API_REGIONS = ['us-east-1', 'ap-south-1'] as const;

/** One element of a GetProducts `PriceList`, once its JSON string is parsed: only what is read here. */
export interface PriceListProduct {
  serviceCode?: string;
  product?: { sku?: string; productFamily?: string; attributes?: Record<string, string | undefined> };
}

/** How the catalog learned a model: a new entry, or a new spelling of a model it had. */
export interface LearnedModel {
  id: string;
  kind: 'new-model' | 'new-alias';
  /** The Price List spelling it was learned from: a usage-type token or a Marketplace product name. */
  from: string;
  serviceCode: string;
  /** Usage types that name it (first few). */
  usageTypes: string[];
}

/** An overlay entry as written (catalog/models.json schema, lists always present). */
export interface OverlayEntry {
  id: string;
  family: string;
  provider: string;
  tier: CatalogEntryInput['tier'];
  usage_type_tokens: string[];
  marketplace_names: string[];
}

export interface PriceListLearning {
  /** Overlay entries: the previous overlay with what this run learned merged in, sorted by id. */
  overlay: OverlayEntry[];
  learned: LearnedModel[];
  /** Distinct usage types read, per service code. */
  usageTypes: Record<string, number>;
  /** Usage types of model SKUs the bundled catalog + previous overlay did not resolve. */
  newUsageTypes: string[];
  productsRead: number;
}

const MAX_USAGE_TYPES_PER_MODEL = 5;

/**
 * What a Price List read teaches the catalog. A first-party or mantle SKU whose usage-type token the catalog
 * does not resolve becomes an entry (or, when its id exists, a new token of that model); a Marketplace SKU
 * whose `servicename` (`<Name> (Amazon Bedrock Edition)`) the catalog does not resolve becomes an entry with
 * that name. Entries follow the catalog/models.json schema, so `catalog.overlay` merges over the bundle.
 */
export function learnFromPriceList(
  products: readonly PriceListProduct[],
  catalog: ModelCatalog,
  previousOverlay: readonly CatalogEntryInput[] = [],
): PriceListLearning {
  const overlay = new Map<string, MutableEntry>();
  for (const e of previousOverlay) mergeInto(overlay, e);
  // What earlier runs learned is known; what this run learns is reported with every usage type naming it.
  const earlierTokens = new Set(previousOverlay.flatMap((e) => (e.usage_type_tokens ?? []).map(lower)));
  const earlierNames = new Set(previousOverlay.flatMap((e) => (e.marketplace_names ?? []).map(lower)));
  const learned = new Map<string, LearnedModel>();
  const usageTypes = new Map<string, Set<string>>();
  const newUsageTypes = new Set<string>();
  const knownId = (id: string) => catalog.byId.has(id) || overlay.has(id);

  for (const item of products) {
    const attrs = item.product?.attributes ?? {};
    const serviceCode = item.serviceCode ?? attrs.servicecode ?? '';
    const usageType = (attrs.usagetype ?? '').trim();
    if (usageType === '') continue;
    const seen = usageTypes.get(serviceCode) ?? new Set<string>();
    seen.add(usageType);
    usageTypes.set(serviceCode, seen);

    const parsed = parseUsageType(usageType);
    let candidate: { entry: CatalogEntryInput; from: string } | null = null;
    if (parsed.isMarketplace) {
      const name = stripMarketplaceSuffix(attrs.servicename ?? '');
      if (name === '' || !/amazon bedrock edition/i.test(attrs.servicename ?? '')) continue;
      if (resolveMarketplaceName(catalog, name) || earlierNames.has(lower(name))) continue;
      const entry = marketplaceEntry(name);
      if (entry) candidate = { entry, from: attrs.servicename ?? name };
    } else if (parsed.modelToken !== '' && ['first_party', 'mantle', 'dotted'].includes(parsed.family)) {
      const token = parsed.modelToken;
      if (resolveUsageTypeToken(catalog, token) || earlierTokens.has(lower(token))) continue;
      const entry = firstPartyEntry(token, attrs.model ?? attrs.titanModel);
      if (entry) candidate = { entry, from: token };
    }
    if (!candidate) continue;
    newUsageTypes.add(usageType);
    const { entry, from } = candidate;
    const record = learned.get(entry.id) ?? {
      id: entry.id,
      kind: knownId(entry.id) ? ('new-alias' as const) : ('new-model' as const),
      from,
      serviceCode,
      usageTypes: [],
    };
    if (record.usageTypes.length < MAX_USAGE_TYPES_PER_MODEL) record.usageTypes.push(usageType);
    learned.set(entry.id, record);
    const existing = catalog.byId.get(entry.id);
    // A known id keeps its family, provider and tier: the overlay only adds the spelling.
    mergeInto(
      overlay,
      existing
        ? {
            id: existing.id,
            family: existing.family,
            provider: existing.provider,
            tier: existing.tier,
            usage_type_tokens: entry.usage_type_tokens ?? [],
            marketplace_names: entry.marketplace_names ?? [],
          }
        : entry,
    );
  }
  return {
    overlay: [...overlay.values()]
      .map(
        (e): OverlayEntry => ({
          id: e.id,
          family: e.family,
          provider: e.provider,
          tier: e.tier,
          usage_type_tokens: [...e.tokens].sort(),
          marketplace_names: [...e.names].sort(),
        }),
      )
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
    learned: [...learned.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
    usageTypes: Object.fromEntries([...usageTypes].map(([code, set]) => [code, set.size]).sort()),
    newUsageTypes: [...newUsageTypes].sort(),
    productsRead: products.length,
  };
}

interface MutableEntry {
  id: string;
  family: string;
  provider: string;
  tier: CatalogEntryInput['tier'];
  tokens: Set<string>;
  names: Set<string>;
}

function mergeInto(map: Map<string, MutableEntry>, e: CatalogEntryInput): void {
  const current = map.get(e.id) ?? {
    id: e.id,
    family: e.family,
    provider: e.provider,
    tier: e.tier,
    tokens: new Set<string>(),
    names: new Set<string>(),
  };
  for (const t of e.usage_type_tokens ?? []) current.tokens.add(t);
  for (const n of e.marketplace_names ?? []) current.names.add(n);
  map.set(e.id, current);
}

function lower(s: string): string {
  return s.trim().toLowerCase();
}

/**
 * A catalog entry for a model the Price List names: its identity (canonical id, provider, family) and tier come
 * from the same parser stage 2 uses for models the catalog lacks (normalize/model-identity.ts), so the overlay
 * and the classifier agree on ids. Null when the name carries no vendor family word.
 */
function entryFor(
  name: string,
  spelling: { token?: string; marketplaceName?: string },
): CatalogEntryInput | null {
  const identity = identityFromName(name);
  if (!identity) return null;
  return {
    id: identity.id,
    family: identity.family,
    provider: identity.provider,
    tier: tierFromFamilyWords(identity.id),
    usage_type_tokens: spelling.token ? [spelling.token] : [],
    marketplace_names: spelling.marketplaceName ? [spelling.marketplaceName] : [],
  };
}

/** `Claude Opus 5` → anthropic.claude-opus-5 (Marketplace products have no provider attribute). */
function marketplaceEntry(name: string): CatalogEntryInput | null {
  return entryFor(name, { marketplaceName: name });
}

/**
 * A first-party token: a dotted one (mantle `openai.gpt-oss-120b`, `deepseek.v3.2`) is a canonical id; any
 * other is named by the SKU's `model` attribute (`Nova 2 Pro` → amazon.nova-2-pro), else by the token.
 */
function firstPartyEntry(token: string, model?: string): CatalogEntryInput | null {
  const named = (model ?? '').trim();
  return (named !== '' ? entryFor(named, { token }) : null) ?? entryFor(token, { token });
}
