import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildModelCatalog, type ModelCatalog } from '../core/normalize/model-catalog.js';
import type { Config, ModelEntry } from './schema.js';

/**
 * The bundled catalog. Read at run time rather than imported: tsconfig.build.json has rootDir `src`, and
 * both src/config/ and dist/config/ sit two levels below the package root, so this URL works from either.
 */
export const BUNDLED_CATALOG_PATH = fileURLToPath(new URL('../../catalog/models.json', import.meta.url));

/**
 * The bundled catalog, then the `catalog.overlay` entries (read by the caller, see
 * adapters/catalog/overlay-source.ts), then the config's `models:` extras, each merged over the one before:
 * an entry with a known id overrides family / provider / tier and adds its tokens and names; an entry that
 * claims a token of another model takes it over. `model_tiers` sets the tier of a model (by id or family),
 * catalogued or not.
 */
export function loadModelCatalog(
  config: Pick<Config, 'models'> & Partial<Pick<Config, 'model_tiers'>>,
  overlay: readonly ModelEntry[] = [],
): ModelCatalog {
  return buildModelCatalog([...bundledModels(), ...overlay, ...config.models], config.model_tiers ?? {});
}

let bundled: ModelEntry[] | undefined;

/**
 * The bundled entries, read without the zod schema (catalog-file.ts): the file ships with the code and a test
 * validates it, so every run need not load and build the schema. Extras from a config were validated with it.
 */
function bundledModels(): ModelEntry[] {
  bundled ??= (JSON.parse(readFileSync(BUNDLED_CATALOG_PATH, 'utf8')) as { models: ModelEntry[] }).models;
  return bundled;
}
