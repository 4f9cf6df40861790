import {
  type CatalogEntryInput,
  type ModelCatalog,
  resolveMarketplaceName,
  resolveUsageTypeToken,
  stripMarketplaceSuffix,
} from '../normalize/model-catalog.js';
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
      candidate = { entry: marketplaceEntry(name), from: attrs.servicename ?? name };
    } else if (parsed.modelToken !== '' && (parsed.family === 'first_party' || parsed.family === 'mantle')) {
      const token = parsed.modelToken;
      if (resolveUsageTypeToken(catalog, token) || earlierTokens.has(lower(token))) continue;
      candidate = {
        entry: firstPartyEntry(token, attrs.model ?? attrs.titanModel, attrs.provider),
        from: token,
      };
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
 * Vendor family words → provider, for names the Price List gives without one (Marketplace `servicename`,
 * Amazon's own first-party rows, whose `provider` attribute is empty).
 * TODO(integrator): issue #9 item 2 adds model identity without a catalog entry in src/core/normalize;
 * once merged, derive provider / family / tier there and drop this table and tierOf.
 */
const FAMILY_PROVIDER: readonly (readonly [RegExp, string])[] = [
  [/^claude/, 'anthropic'],
  [/^(nova|titan)/, 'amazon'],
  [/^llama/, 'meta'],
  [/^(mistral|mixtral|pixtral|magistral|ministral|voxtral|devstral)/, 'mistral'],
  [/^(command|embed|rerank|cohere)/, 'cohere'],
  [/^(jamba|jurassic)/, 'ai21'],
  [/^(stable|sd3|sdxl)/, 'stability'],
  [/^(marengo|pegasus)/, 'twelvelabs'],
  [/^(palmyra)/, 'writer'],
  [/^(qwen)/, 'qwen'],
  [/^(deepseek)/, 'deepseek'],
  [/^(gpt)/, 'openai'],
  [/^(gemma)/, 'google'],
  [/^(nemotron)/, 'nvidia'],
  [/^(kimi)/, 'moonshotai'],
  [/^(minimax)/, 'minimax'],
  [/^(grok)/, 'xai'],
];

/** Family word → tier: opus/pro/large/premier premium; haiku/lite/micro/mini/small/nano economy. */
function tierOf(name: string): CatalogEntryInput['tier'] {
  const words = name.toLowerCase().split(/[^a-z0-9]+/);
  if (words.some((w) => ['opus', 'pro', 'large', 'premier', 'ultra'].includes(w))) return 'premium';
  if (words.some((w) => ['haiku', 'lite', 'micro', 'mini', 'small', 'nano'].includes(w))) return 'economy';
  return 'standard';
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/\+/g, '-plus')
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function providerOf(name: string, given?: string): string {
  const fromAttr = slug(given ?? '').replace(/[.-]/g, '');
  if (fromAttr !== '') return fromAttr === 'mistralai' ? 'mistral' : fromAttr;
  const first = slug(name);
  return FAMILY_PROVIDER.find(([re]) => re.test(first))?.[1] ?? 'unknown';
}

/** `Claude Opus 5` → anthropic.claude-opus-5 (Marketplace products have no provider attribute). */
function marketplaceEntry(name: string): CatalogEntryInput {
  const provider = providerOf(name);
  const id = `${provider}.${slug(name).replace(/\./g, '-')}`;
  return {
    id,
    family: slug(name).split('-')[0] ?? provider,
    provider,
    tier: tierOf(name),
    usage_type_tokens: [],
    marketplace_names: [name],
  };
}

/**
 * A first-party token: a dotted one (mantle `openai.gpt-oss-120b`, `deepseek.v3.2`) is a canonical id; any
 * other is named by the SKU's `model` attribute (`Nova 2 Pro` → amazon.nova-2-pro), else by the token.
 */
function firstPartyEntry(token: string, model?: string, provider?: string): CatalogEntryInput {
  if (/^[a-z0-9-]+\.[a-z0-9]/i.test(token) && !/^[a-z]+\d+(\.\d+)/i.test(token)) {
    const id = token.toLowerCase();
    const [prefix = 'unknown', rest = id] = id.split(/\.(.*)/s);
    return {
      id,
      family: rest.split(/[-.]/)[0] ?? prefix,
      provider: prefix,
      tier: tierOf(rest),
      usage_type_tokens: [token],
      marketplace_names: [],
    };
  }
  const name = (model ?? '').trim() || token;
  const p = providerOf(name, provider);
  const body = slug(name).replace(/\./g, '-');
  return {
    id: `${p}.${body}`,
    family: body.split('-')[0] ?? p,
    provider: p,
    tier: tierOf(name),
    usage_type_tokens: [token],
    marketplace_names: [],
  };
}
