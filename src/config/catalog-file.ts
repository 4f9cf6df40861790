import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, describeError } from '../core/errors.js';
import { BUNDLED_CATALOG_PATH } from './model-catalog.js';
import { type ModelEntry, ModelEntrySchema } from './schema.js';

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

/**
 * Validates parsed catalog JSON; the error names the path of every problem. An overlay (`catalog.overlay`)
 * has the same schema but may hold no model yet.
 */
export function parseCatalogFile(
  data: unknown,
  source = 'catalog/models.json',
  options: { allowEmpty?: boolean } = {},
): ModelEntry[] {
  if (
    options.allowEmpty &&
    typeof data === 'object' &&
    data !== null &&
    Array.isArray((data as { models?: unknown }).models) &&
    (data as { models: unknown[] }).models.length === 0 &&
    Object.keys(data).length === 1
  )
    return [];
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
