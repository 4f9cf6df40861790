import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError, describeError } from '../core/errors.js';
import { buildModelCatalog, type ModelCatalog } from '../core/normalize/model-catalog.js';
import { type Config, type ModelEntry, ModelEntrySchema } from './schema.js';

/**
 * The bundled catalog. Read at run time rather than imported: tsconfig.build.json has rootDir `src`, and
 * both src/config/ and dist/config/ sit two levels below the package root, so this URL works from either.
 */
export const BUNDLED_CATALOG_PATH = fileURLToPath(new URL('../../catalog/models.json', import.meta.url));

/** catalog/models.json: ids unique, and a usage-type token or Marketplace name names one model only. */
export const CatalogFileSchema = z
  .object({ models: z.array(ModelEntrySchema).min(1) })
  .strict()
  .superRefine((file, ctx) => {
    const ids = new Set<string>();
    const tokens = new Map<string, string>();
    const names = new Map<string, string>();
    file.models.forEach((model, index) => {
      if (ids.has(model.id))
        ctx.addIssue({ code: 'custom', path: ['models', index, 'id'], message: `duplicate id ${model.id}` });
      ids.add(model.id);
      claim(tokens, model.usage_type_tokens, model.id, (key, other) =>
        ctx.addIssue({
          code: 'custom',
          path: ['models', index, 'usage_type_tokens'],
          message: `token "${key}" already belongs to ${other}`,
        }),
      );
      claim(names, model.marketplace_names, model.id, (key, other) =>
        ctx.addIssue({
          code: 'custom',
          path: ['models', index, 'marketplace_names'],
          message: `name "${key}" already belongs to ${other}`,
        }),
      );
    });
  });

function claim(
  owners: Map<string, string>,
  keys: readonly string[],
  id: string,
  onConflict: (key: string, other: string) => void,
): void {
  for (const raw of keys) {
    const key = raw.trim().toLowerCase();
    const other = owners.get(key);
    if (other !== undefined && other !== id) onConflict(raw, other);
    else owners.set(key, id);
  }
}

/** Validates parsed catalog JSON; the error names the path of every problem. */
export function parseCatalogFile(data: unknown, source = 'catalog/models.json'): ModelEntry[] {
  const result = CatalogFileSchema.safeParse(data);
  if (!result.success) throw new ConfigError(`${source} is invalid:\n${z.prettifyError(result.error)}`);
  return result.data.models;
}

export function readCatalogFile(path: string = BUNDLED_CATALOG_PATH): ModelEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new ConfigError(`cannot read model catalog ${path}: ${describeError(cause)}`, { cause });
  }
  return parseCatalogFile(data, path);
}

/**
 * The bundled catalog with the config's `models:` extras merged over it: an extra with a known id
 * overrides family / provider / tier and adds its tokens and names; an extra that claims a token of
 * another model takes it over.
 */
export function loadModelCatalog(
  config: Pick<Config, 'models'>,
  path: string = BUNDLED_CATALOG_PATH,
): ModelCatalog {
  return buildModelCatalog([...readCatalogFile(path), ...config.models]);
}
