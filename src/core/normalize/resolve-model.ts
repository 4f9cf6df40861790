import type { ModelTier } from '../facts/daily-fact.js';
import {
  type CatalogModel,
  type ModelCatalog,
  resolveMarketplaceName,
  resolveResourceModelId,
  resolveUsageTypeToken,
  stripMarketplaceSuffix,
} from './model-catalog.js';
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
 * (first party) or the product name (Marketplace), then the resource id, then a media feature, then
 * `unknown:<raw>`. A row that names nothing at all has model `none`.
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
    if (raw === '') raw = inputs.productCode.trim();
  } else {
    raw = parsed.modelToken;
    found = resolveUsageTypeToken(catalog, raw);
  }
  if (!found && (resource.kind === 'foundation-model' || resource.kind === 'inference-profile')) {
    found = resolveResourceModelId(catalog, resource.id);
  }
  if (found) return fromCatalog(found);
  if (parsed.feature) return featureModel(parsed.feature.slug);
  if (raw === '') return NO_MODEL;
  return {
    model: `unknown:${raw}`,
    family: 'unknown',
    provider: 'unknown',
    tier: 'unknown',
    unknownRaw: raw,
  };
}

function fromCatalog(model: CatalogModel): ResolvedModel {
  return {
    model: model.id,
    family: model.family,
    provider: model.provider,
    tier: model.tier,
    unknownRaw: null,
  };
}

function featureModel(slug: string): ResolvedModel {
  return { model: `feature:${slug}`, family: 'feature', provider: 'aws', tier: 'unknown', unknownRaw: null };
}
