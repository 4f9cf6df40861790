import type { Delivery } from './ingest.js';

// Ports of the delivery pipeline (app/process-delivery.ts).

/** A delivery and the steps that make its data files readable locally, then free them again. */
export interface DeliveryHandle {
  delivery: Delivery;
  /** Makes `delivery.files` readable (downloads from S3; a no-op for local files). */
  fetch(): Promise<void>;
  /** Frees what `fetch` made (temporary copies); safe to call more than once. */
  dispose(): Promise<void>;
}

export interface DeliveryClaimRequest {
  objectKey: string;
  version: string;
  nowMs: number;
  /** How long the claim holds if its owner dies without releasing it. */
  leaseMs: number;
}

export type DeliveryClaim =
  | { status: 'claimed'; token: string }
  | { status: 'held'; version: string | null; leaseUntilMs: number | null };

/**
 * Layer 0 of "ingest once": a lease per manifest key, taken before ingesting, so two runs (two Lambda
 * invocations for a duplicated event, or a redrive racing a retry) never ingest the same delivery at once.
 * Contention is a value (`held`); store failures throw.
 */
export interface DeliveryClaims {
  claim(request: DeliveryClaimRequest): Promise<DeliveryClaim>;
  /** Drops the lease if `token` still holds it; a no-op when it was taken over or already released. */
  release(objectKey: string, token: string): Promise<void>;
}
