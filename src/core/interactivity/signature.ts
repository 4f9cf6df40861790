import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's replay window: a request whose timestamp is further than this from now is refused. */
export const SIGNATURE_WINDOW_MS = 5 * 60_000;

export interface SignedRequest {
  /** `X-Slack-Request-Timestamp`: epoch seconds, as text. */
  timestamp: string | undefined;
  /** `X-Slack-Signature`: `v0=<hex HMAC-SHA256>`. */
  signature: string | undefined;
  /** The raw request body exactly as received (before any parsing). */
  body: string;
}

export type SignatureVerdict =
  | { ok: true; timestampMs: number }
  | { ok: false; reason: 'missing-headers' | 'stale' | 'bad-signature'; detail: string };

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>` under the app's signing secret. */
export function slackSignature(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/**
 * Verifies a request from Slack (api.slack.com/authentication/verifying-requests-from-slack): the
 * timestamp is within five minutes of `nowMs` either way, and the signature is the v0 HMAC of the raw
 * body, compared in constant time. Never says which byte differed; never echoes the secret.
 */
export function verifySlackSignature(
  secret: string,
  request: SignedRequest,
  nowMs: number,
): SignatureVerdict {
  const { timestamp, signature } = request;
  if (!timestamp || !signature) {
    return {
      ok: false,
      reason: 'missing-headers',
      detail: 'X-Slack-Request-Timestamp and X-Slack-Signature are required',
    };
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, reason: 'stale', detail: 'X-Slack-Request-Timestamp is not epoch seconds' };
  }
  const timestampMs = Number(timestamp) * 1000;
  if (Math.abs(nowMs - timestampMs) > SIGNATURE_WINDOW_MS) {
    return { ok: false, reason: 'stale', detail: 'request timestamp is more than 5 minutes from now' };
  }
  const expected = Buffer.from(slackSignature(secret, timestamp, request.body), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // timingSafeEqual needs equal lengths; a length mismatch reveals only the (public) format.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad-signature', detail: 'X-Slack-Signature does not match the body' };
  }
  return { ok: true, timestampMs };
}
