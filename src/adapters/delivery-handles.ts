import type { S3Client } from '@aws-sdk/client-s3';
import type { DeliveryHandle } from '../app/ports/delivery.js';
import { InputError } from '../core/errors.js';
import { discoverLocalDeliveries } from './local-fs/discover-deliveries.js';
import { discoverS3Deliveries } from './s3/discover-deliveries.js';

/**
 * The delivery a manifest in S3 describes. The manifest is read and every listed object HEADed now (so the
 * ledger can be asked before anything is downloaded); `fetch` streams the data files into `workDir` with
 * If-Match on those ETags, `dispose` deletes them.
 */
export async function openS3Delivery(
  manifestUri: string,
  options: { client: S3Client; workDir?: string | undefined },
): Promise<DeliveryHandle> {
  const discovery = await discoverS3Deliveries(manifestUri, {
    client: options.client,
    download: 'lazy',
    ...(options.workDir ? { workDir: options.workDir } : {}),
  });
  const delivery = discovery.deliveries[0];
  if (!delivery || discovery.deliveries.length !== 1) {
    await discovery.cleanup();
    throw new InputError(
      `${manifestUri}: expected exactly one delivery, found ${discovery.deliveries.length}`,
    );
  }
  let disposed = false;
  return {
    delivery,
    fetch: () => discovery.download(delivery),
    async dispose() {
      if (disposed) return;
      disposed = true;
      await discovery.cleanup();
    },
  };
}

/** A manifest on local disk: its files are read in place. */
export async function openLocalDelivery(manifestPath: string): Promise<DeliveryHandle> {
  const deliveries = await discoverLocalDeliveries(manifestPath);
  const delivery = deliveries[0];
  if (!delivery || deliveries.length !== 1) {
    throw new InputError(`${manifestPath}: expected exactly one delivery, found ${deliveries.length}`);
  }
  const nothing = async () => {};
  return { delivery, fetch: nothing, dispose: nothing };
}
