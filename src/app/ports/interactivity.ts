import type { SendOutcome } from './alerting.js';

// The HTTP exchange of the Slack interactivity endpoint, the same for `serve` (adapters/http) and the
// Lambda Function URL handler. Used by app/slack-interactivity.ts.

export interface InteractionRequest {
  method: string;
  /** Header names lower-cased. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The raw body, decoded from base64 if the host had encoded it. */
  body: string;
}

export interface InteractionResponse {
  status: number;
  body: string;
  /** What happened, for the host's log (never a secret or a body). */
  outcome: string;
  /** The chat.update outcome, when one was attempted. */
  update?: SendOutcome | undefined;
}
