import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseCatalogFile } from '../../config/catalog-file.js';
import type { ModelEntry } from '../../config/schema.js';
import { ConfigError } from '../../core/errors.js';
import { type ConfigSourceClients, readConfigText } from '../secrets/config-source.js';

/**
 * The `catalog.overlay` entries: a local file (relative to `baseDir`) or `s3://bucket/key`, in the schema of
 * catalog/models.json. No location, or a local file that does not exist yet (before the first
 * `catalog update`), is an empty overlay; an unreadable or invalid one is an error naming it.
 */
export async function readCatalogOverlay(
  location: string | undefined,
  clients: ConfigSourceClients,
  baseDir: string = process.cwd(),
): Promise<ModelEntry[]> {
  if (!location) return [];
  const local = !location.startsWith('s3://') && !location.startsWith('ssm:');
  if (local && !existsSync(resolve(baseDir, location))) return [];
  const { source, text } = await readConfigText(location, clients, baseDir);
  let data: unknown;
  try {
    data = JSON.parse(text ?? '');
  } catch (error) {
    throw new ConfigError(`catalog.overlay ${source}: not valid JSON: ${(error as Error).message}`);
  }
  return parseCatalogFile(data, `catalog.overlay ${source}`, { allowEmpty: true });
}

/** Writes the overlay as catalog/models.json is laid out (one model per block), to a local path. */
export async function writeCatalogOverlay(path: string, models: readonly ModelEntry[]): Promise<string> {
  if (path.startsWith('s3://') || path.startsWith('ssm:')) {
    throw new ConfigError(
      `catalog update writes a local file; got ${path} (write it locally, then copy it: aws s3 cp <file> ${path})`,
    );
  }
  const full = resolve(path);
  parseCatalogFile({ models }, full, { allowEmpty: true });
  await mkdir(dirname(full), { recursive: true });
  await writeFile(full, `${JSON.stringify({ models }, null, 2)}\n`);
  return full;
}
