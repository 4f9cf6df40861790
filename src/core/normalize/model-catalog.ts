import type { ModelTier } from '../facts/daily-fact.js';

/** One entry as written in catalog/models.json and in config `models:` (snake_case, like the file). */
export interface CatalogEntryInput {
  readonly id: string;
  readonly family: string;
  readonly provider: string;
  readonly tier: Exclude<ModelTier, 'unknown'>;
  readonly usage_type_tokens?: readonly string[];
  readonly marketplace_names?: readonly string[];
}

export interface CatalogModel {
  readonly id: string;
  readonly family: string;
  readonly provider: string;
  readonly tier: Exclude<ModelTier, 'unknown'>;
  readonly usageTypeTokens: readonly string[];
  readonly marketplaceNames: readonly string[];
}

export interface ModelCatalog {
  readonly models: readonly CatalogModel[];
  readonly byId: ReadonlyMap<string, CatalogModel>;
  readonly byToken: ReadonlyMap<string, CatalogModel>;
  readonly byLooseToken: ReadonlyMap<string, CatalogModel>;
  readonly byName: ReadonlyMap<string, CatalogModel>;
  readonly byLooseName: ReadonlyMap<string, CatalogModel>;
  /** Lower-cased tokens, longest first, for the prefix fallback. */
  readonly tokensByLength: readonly string[];
  /** Config `model_tiers`: tier by model id or by family, over the catalog's and the derived tier. */
  readonly tierOverrides: ReadonlyMap<string, Exclude<ModelTier, 'unknown'>>;
}

const MARKETPLACE_SUFFIX = /\s*\(\s*amazon bedrock edition\s*\)\s*$/i;

/**
 * Builds the lookup tables. Entries with the same id are merged: the later one sets family, provider and
 * tier, tokens and names are united — so a config extra can add a spelling without repeating the rest.
 * When two models claim one token or name, the later entry wins (config extras come after the bundle).
 * A loose key (only letters and digits) that two models share is dropped rather than guessed.
 */
export function buildModelCatalog(
  entries: readonly CatalogEntryInput[],
  tierOverrides: Readonly<Record<string, Exclude<ModelTier, 'unknown'>>> = {},
): ModelCatalog {
  const merged = new Map<
    string,
    {
      model: Omit<CatalogModel, 'usageTypeTokens' | 'marketplaceNames'>;
      tokens: Set<string>;
      names: Set<string>;
    }
  >();
  const tokenOwner = new Map<string, string>();
  const nameOwner = new Map<string, string>();
  for (const entry of entries) {
    const current = merged.get(entry.id);
    const tokens = current?.tokens ?? new Set<string>();
    const names = current?.names ?? new Set<string>();
    for (const token of entry.usage_type_tokens ?? []) {
      tokens.add(token);
      tokenOwner.set(token.trim().toLowerCase(), entry.id);
    }
    for (const name of entry.marketplace_names ?? []) {
      names.add(name);
      nameOwner.set(nameKey(name), entry.id);
    }
    merged.set(entry.id, {
      model: { id: entry.id, family: entry.family, provider: entry.provider, tier: entry.tier },
      tokens,
      names,
    });
  }

  const byId = new Map<string, CatalogModel>();
  for (const [id, { model, tokens, names }] of merged) {
    byId.set(id, { ...model, usageTypeTokens: [...tokens], marketplaceNames: [...names] });
  }
  const byToken = ownedMap(tokenOwner, byId);
  const byName = ownedMap(nameOwner, byId);
  return {
    models: [...byId.values()],
    byId,
    byToken,
    byLooseToken: looseMap(byToken),
    byName,
    byLooseName: looseMap(byName),
    tokensByLength: [...byToken.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0)),
    tierOverrides: new Map(
      Object.entries(tierOverrides).map(([key, tier]) => [key.trim().toLowerCase(), tier]),
    ),
  };
}

/** The catalog model with this canonical id, exactly or spelling-insensitively (`amazon.nova-2-lite`). */
export function catalogModelById(catalog: ModelCatalog, id: string): CatalogModel | undefined {
  const lower = id.trim().toLowerCase();
  const exact = catalog.byId.get(lower) ?? catalog.models.find((m) => m.id.toLowerCase() === lower);
  if (exact) return exact;
  const loose = looseKey(lower);
  return catalog.models.find((m) => looseKey(m.id) === loose);
}

function ownedMap(owner: ReadonlyMap<string, string>, byId: ReadonlyMap<string, CatalogModel>) {
  const out = new Map<string, CatalogModel>();
  for (const [key, id] of owner) {
    const model = byId.get(id);
    if (model && key !== '') out.set(key, model);
  }
  return out;
}

function looseMap(exact: ReadonlyMap<string, CatalogModel>): Map<string, CatalogModel> {
  const out = new Map<string, CatalogModel>();
  const ambiguous = new Set<string>();
  for (const [key, model] of exact) {
    const loose = looseKey(key);
    if (loose === '') continue;
    const seen = out.get(loose);
    if (seen && seen.id !== model.id) ambiguous.add(loose);
    else out.set(loose, model);
  }
  for (const key of ambiguous) out.delete(key);
  return out;
}

/** `Claude 3.5 Sonnet (Amazon Bedrock Edition)` → `Claude 3.5 Sonnet`. */
export function stripMarketplaceSuffix(productName: string): string {
  return productName.replace(MARKETPLACE_SUFFIX, '').trim();
}

function nameKey(name: string): string {
  return stripMarketplaceSuffix(name).toLowerCase().replace(/\s+/g, ' ');
}

/** Spelling-insensitive key: `Llama3-1-8B` and `Llama3.1-8B` meet; `R+` stays apart from `R`. */
function looseKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/\+/g, 'plus')
    .replace(/[^a-z0-9]/g, '');
}

/**
 * The model a first-party usage-type token names: exact (case-insensitive), then spelling-insensitive,
 * then the longest catalog token that is a `-`-separated prefix (`Ray-V2-Medfps-HDRes` → `Ray-V2`). The
 * prefix match refuses a remainder that starts with a version number (`Mistral-Large-4-…` is not
 * `Mistral-Large`): a wrong model is worse than an `unknown:` one.
 */
export function resolveUsageTypeToken(catalog: ModelCatalog, token: string): CatalogModel | undefined {
  const lower = token.trim().toLowerCase();
  if (lower === '') return undefined;
  const exact = catalog.byToken.get(lower) ?? catalog.byLooseToken.get(looseKey(lower));
  if (exact) return exact;
  const prefix = catalog.tokensByLength.find((t) => lower.startsWith(`${t}-`));
  if (prefix === undefined) return undefined;
  const remainder = lower.slice(prefix.length + 1);
  if (/^v?\d/.test(remainder)) return undefined;
  return catalog.byToken.get(prefix);
}

export function resolveMarketplaceName(catalog: ModelCatalog, productName: string): CatalogModel | undefined {
  const key = nameKey(productName);
  if (key === '') return undefined;
  return catalog.byName.get(key) ?? catalog.byLooseName.get(looseKey(key));
}

const GEO_PROFILE_PREFIX = /^(?:us|us-gov|eu|apac|ap|jp|au|ca|global)\./;

/**
 * The model a `foundation-model/` or system `inference-profile/` resource id names, as a fallback when the
 * usage type or product name does not resolve. Bedrock ids carry a date and version
 * (`anthropic.claude-3-5-sonnet-20241022-v2:0`) that catalog ids leave out except where the version is
 * part of the model (`-v2`); both forms are tried.
 */
export function resolveResourceModelId(
  catalog: ModelCatalog,
  resourceModelId: string,
): CatalogModel | undefined {
  const first = resourceModelId.split('/')[0] ?? '';
  const id = first
    .trim()
    .toLowerCase()
    .replace(GEO_PROFILE_PREFIX, '')
    .replace(/:\d+$/, '')
    .replace(/-\d{8}(?=-|$)/, '');
  if (id === '') return undefined;
  const unversioned = id.replace(/-v?\d+$/, '');
  return (
    catalog.models.find((m) => m.id.toLowerCase() === id) ??
    catalog.models.find((m) => m.id.toLowerCase() === unversioned)
  );
}
