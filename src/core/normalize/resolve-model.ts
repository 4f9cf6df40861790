import type { ModelTier } from '../facts/daily-fact.js';
import {
  type CatalogModel,
  catalogModelById,
  type ModelCatalog,
  resolveMarketplaceName,
  resolveResourceModelId,
  resolveUsageTypeToken,
  stripMarketplaceSuffix,
} from './model-catalog.js';
import {
  identityFromDottedId,
  identityFromName,
  type ModelIdentity,
  tierFromFamilyWords,
} from './model-identity.js';
import type { ParsedResource } from './resource.js';
import type { ParsedUsageType } from './usage-type.js';

export interface ResolvedModel {
  model: string;
  family: string;
  provider: string;
  tier: ModelTier;
  /** Set when the model is `unknown:<raw>`: the raw token or product name, for the warning. */
  unknownRaw: string | null;
}

export const NO_MODEL: ResolvedModel = {
  model: 'none',
  family: 'none',
  provider: 'none',
  tier: 'unknown',
  unknownRaw: null,
};

export interface ModelInputs {
  parsed: ParsedUsageType;
  marketplace: boolean;
  productName: string | null;
  productCode: string;
  resource: ParsedResource;
  isTax: boolean;
}

/**
 * Model of one row: tax has none; non-model features are `feature:<slug>`; otherwise the usage-type token
 * (first party) or the product name (Marketplace) through the catalog, then parsed into a canonical id by its
 * vendor family word (a dotted or mantle id is canonical as it stands), then the resource id, then a media
 * feature, then `unknown:<raw>`. A row that names nothing at all has model `none`.
 */
export function resolveModel(catalog: ModelCatalog, inputs: ModelInputs): ResolvedModel {
  const { parsed, resource } = inputs;
  if (inputs.isTax) return NO_MODEL;
  if (parsed.feature && !parsed.feature.modelFirst) return featureModel(parsed.feature.slug);

  let raw: string;
  let found: CatalogModel | undefined;
  if (inputs.marketplace || parsed.isMarketplace) {
    raw = stripMarketplaceSuffix(inputs.productName ?? '');
    found = resolveMarketplaceName(catalog, raw);
  } else {
    raw = parsed.modelToken;
    found = resolveUsageTypeToken(catalog, raw);
  }
  let identity = found ? null : identityFromName(raw);
  if (!found && identity) found = catalogModelById(catalog, identity.id);
  const fromResource = resource.kind === 'foundation-model' || resource.kind === 'inference-profile';
  if (!found && fromResource) found = resolveResourceModelId(catalog, resource.id);
  if (found) return fromCatalog(catalog, found);
  if (!identity && fromResource) identity = identityFromDottedId(resource.id.split('/')[0] ?? '');
  if (identity) return derived(catalog, identity);
  if (parsed.feature) return featureModel(parsed.feature.slug);
  if (raw === '' && (inputs.marketplace || parsed.isMarketplace)) raw = inputs.productCode.trim();
  if (raw === '') return NO_MODEL;
  return {
    model: `unknown:${raw}`,
    family: 'unknown',
    provider: 'unknown',
    tier: 'unknown',
    unknownRaw: raw,
  };
}

function overriddenTier(catalog: ModelCatalog, id: string, family: string): ModelTier | undefined {
  return catalog.tierOverrides.get(id.toLowerCase()) ?? catalog.tierOverrides.get(family.toLowerCase());
}

function fromCatalog(catalog: ModelCatalog, model: CatalogModel): ResolvedModel {
  return {
    model: model.id,
    family: model.family,
    provider: model.provider,
    tier: overriddenTier(catalog, model.id, model.family) ?? model.tier,
    unknownRaw: null,
  };
}

/** A model the catalog lacks, known by its canonical id; tier from its family words unless config sets it. */
function derived(catalog: ModelCatalog, identity: ModelIdentity): ResolvedModel {
  return {
    model: identity.id,
    family: identity.family,
    provider: identity.provider,
    tier: overriddenTier(catalog, identity.id, identity.family) ?? tierFromFamilyWords(identity.id),
    unknownRaw: null,
  };
}

function featureModel(slug: string): ResolvedModel {
  return { model: `feature:${slug}`, family: 'feature', provider: 'aws', tier: 'unknown', unknownRaw: null };
}
