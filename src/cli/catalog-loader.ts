import type { SSMClient } from '@aws-sdk/client-ssm';
import type { ConfigSourceClients } from '../adapters/secrets/config-source.js';
import { loadModelCatalog } from '../config/model-catalog.js';
import type { Config } from '../config/schema.js';
import type { ModelCatalog } from '../core/normalize/model-catalog.js';

/**
 * AWS clients for a catalog.overlay on S3 (or SSM), created only when one is read. The SDK modules load here, on
 * demand: every command that classifies loads the catalog, and most never read an overlay from AWS.
 */
export async function overlayClients(): Promise<ConfigSourceClients> {
  const [{ SSMClient }, { s3Client }] = await Promise.all([
    import('@aws-sdk/client-ssm'),
    import('../adapters/s3/s3-location.js'),
  ]);
  let ssm: SSMClient | undefined;
  return {
    s3: () => s3Client(),
    ssm: () => {
      ssm ??= new SSMClient({});
      return ssm;
    },
  };
}

/** The entries of the `catalog.overlay` at `location` (none when unset); its reader loads only when one is set. */
export async function readOverlay(location: string | undefined): Promise<Config['models']> {
  if (!location) return [];
  const { readCatalogOverlay } = await import('../adapters/catalog/overlay-source.js');
  return readCatalogOverlay(location, await overlayClients());
}

/** The catalog the CLI classifies with: bundled, then `catalog.overlay`, then the config's `models:`. */
export async function cliModelCatalog(config: Config): Promise<ModelCatalog> {
  return loadModelCatalog(config, await readOverlay(config.catalog.overlay));
}
