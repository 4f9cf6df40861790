import { SSMClient } from '@aws-sdk/client-ssm';
import { readCatalogOverlay } from '../adapters/catalog/overlay-source.js';
import { s3Client } from '../adapters/s3/s3-location.js';
import { loadModelCatalog } from '../config/model-catalog.js';
import type { Config } from '../config/schema.js';
import type { ModelCatalog } from '../core/normalize/model-catalog.js';

/** AWS clients for a catalog.overlay on S3 (or SSM), created only when one is read. */
export function overlayClients() {
  let ssm: SSMClient | undefined;
  return {
    s3: () => s3Client(),
    ssm: () => {
      ssm ??= new SSMClient({});
      return ssm;
    },
  };
}

/** The catalog the CLI classifies with: bundled, then `catalog.overlay`, then the config's `models:`. */
export async function cliModelCatalog(config: Config): Promise<ModelCatalog> {
  return loadModelCatalog(config, await readCatalogOverlay(config.catalog.overlay, overlayClients()));
}
