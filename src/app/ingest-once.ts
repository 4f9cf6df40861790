import { AppError, describeError } from '../core/errors.js';
import { findUnchanged, type IngestDeps, type IngestReport, ingestDelivery } from './ingest-delivery.js';
import type { DeliveryClaims, DeliveryHandle } from './ports/delivery.js';
import type { Delivery, Stage1Engine } from './ports/ingest.js';

// Ingest one delivery once: the shared first step of the CLI `ingest`, `watch` and the CUR-delivery Lambda
// (app/process-delivery.ts adds detection and notification). Kept apart so plain ingest does not load the
// rules, alerting and rendering at start-up.

/** Another run holds the delivery's lease: retry later (by then it is ingested and this run is a no-op). */
export class DeliveryInProgressError extends AppError {
  readonly _tag = 'DeliveryInProgressError';
}

export interface EngineChoice {
  engine: Stage1Engine;
  /** False for engines that read the CUR elsewhere (Athena): nothing is downloaded. */
  readsFiles: boolean;
}

/** What ingesting one delivery needs: no rules, alerting or notification (the CLI `ingest` loads only this). */
export interface IngestOnceDeps {
  ingest: Omit<IngestDeps, 'engine' | 'onProgress'>;
  engineFor(delivery: Delivery): EngineChoice;
  claims?: DeliveryClaims | undefined;
  /** Lease of the ingest claim: at least as long as the run may take. */
  leaseMs: number;
  onProgress?: ((message: string) => void) | undefined;
}

/**
 * Ingests one delivery once, the same for the CLI, `watch` and the Lambda: ask the ledger (unchanged → no
 * claim, no download), claim the delivery, fetch its files when the engine reads them, ingest, release.
 */
export async function ingestOnce(handle: DeliveryHandle, deps: IngestOnceDeps): Promise<IngestReport> {
  const { delivery } = handle;
  const { engine, readsFiles } = deps.engineFor(delivery);
  const onProgress = deps.onProgress;
  const ingestDeps: IngestDeps = { ...deps.ingest, engine, ...(onProgress ? { onProgress } : {}) };
  // Unchanged: no claim and no download; ingestDelivery reports it as such from the ledger.
  if (await findUnchanged(delivery, deps.ingest)) return ingestDelivery(delivery, ingestDeps);

  const claim = deps.claims
    ? await deps.claims.claim({
        objectKey: delivery.objectKey,
        version: delivery.version,
        nowMs: deps.ingest.clock().getTime(),
        leaseMs: deps.leaseMs,
      })
    : null;
  if (claim?.status === 'held') {
    throw new DeliveryInProgressError(
      `${delivery.objectKey}: another run is ingesting ${claim.version === delivery.version ? 'this delivery' : 'a delivery of this manifest'}` +
        `${claim.leaseUntilMs ? ` (lease until ${new Date(claim.leaseUntilMs).toISOString()})` : ''}; retry later`,
      { retryable: true },
    );
  }
  try {
    if (readsFiles) {
      onProgress?.(`fetching ${delivery.files.length} file(s)`);
      await handle.fetch();
    }
    // ingestDelivery asks the ledger again: a run that finished while this one waited makes it a no-op.
    return await ingestDelivery(delivery, ingestDeps);
  } finally {
    if (claim && deps.claims) {
      // A lease left behind only delays the next run until it expires; it never loses data.
      await deps.claims
        .release(delivery.objectKey, claim.token)
        .catch((error: unknown) =>
          onProgress?.(`could not release the ingest claim (it expires by itself): ${describeError(error)}`),
        );
    }
  }
}
