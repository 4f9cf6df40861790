import {
  type Logger,
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
  type WebClientOptions,
} from '@slack/web-api';
import type { SendOutcome } from '../../app/ports/alerting.js';
import { describeRedacted } from '../../core/render/redact.js';
import type { SlackMessage } from '../../core/render/slack-kit.js';
import { classifyTransportError } from '../network-errors.js';
import { progressTrackingFetch } from '../request-progress.js';

/** What the Slack notifier and the report publisher share: clients per token and waiting out 429s. */
export interface SlackClientOptions {
  /** Override for tests (`http://127.0.0.1:<port>/api/`). */
  slackApiUrl?: string | undefined;
  /** Per-request timeout; a timeout after the request was written is an `unknown` outcome. */
  timeoutMs?: number | undefined;
  /** How many 429s to wait out (Retry-After) per call before giving up. */
  maxRateLimitRetries?: number | undefined;
  /** A Retry-After longer than this is not waited for. */
  maxRetryAfterMs?: number | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

// Slack `ok:false` errors that say the post certainly did not happen and may work later.
const RETRYABLE_PLATFORM_ERRORS = new Set([
  'ratelimited',
  'rate_limited',
  'service_unavailable',
  'team_added_to_org',
]);
// Slack documents these as "some aspect of the operation may have succeeded".
const UNKNOWN_PLATFORM_ERRORS = new Set(['internal_error', 'fatal_error']);

const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/**
 * Web API clients, one per token, with the client's own retries off (they would resend after a 5xx or timeout,
 * which may already have posted), and a call wrapper that waits out 429 Retry-After itself.
 */
export class SlackClients {
  private readonly clients = new Map<string, WebClient>();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly options: SlackClientOptions,
    private readonly fetch?: WebClientOptions['fetch'],
  ) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  for(token: string): WebClient {
    let client = this.clients.get(token);
    if (!client) {
      client = new WebClient(token, {
        slackApiUrl: this.options.slackApiUrl,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        timeout: this.options.timeoutMs ?? 10_000,
        logger: silentLogger,
        allowAbsoluteUrls: false,
        // Node's fetch, marking each failure with whether its request was written whole.
        fetch: this.fetch ?? progressTrackingFetch(),
      });
      this.clients.set(token, client);
    }
    return client;
  }

  /** `chat.postMessage` of a rendered Block Kit message (no unfurling), waiting out rate limits. */
  postMessage(token: string, channel: string, message: SlackMessage) {
    const client = this.for(token);
    return this.waitingOutRateLimits(token, () =>
      client.chat.postMessage({
        channel,
        text: message.text,
        // biome-ignore lint/suspicious/noExplicitAny: Block Kit blocks are rendered as plain data in core.
        blocks: message.blocks as any,
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
  }

  /** Runs `call`, waiting out rate limits within the configured bounds; any other failure is thrown as is. */
  async waitingOutRateLimits<T>(token: string, call: () => Promise<T>): Promise<T> {
    const maxRetries = this.options.maxRateLimitRetries ?? 2;
    const maxRetryAfterMs = this.options.maxRetryAfterMs ?? 30_000;
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const outcome = classifySlackError(error, [token]);
        const waitMs = outcome.status === 'retryable' ? outcome.retryAfterMs : undefined;
        if (waitMs === undefined || attempt >= maxRetries || waitMs > maxRetryAfterMs) throw error;
        await this.sleep(waitMs);
      }
    }
  }
}

/**
 * Maps a `@slack/web-api` failure to an outcome. 429 and 5xx: retryable (Slack, like Alertmanager's
 * retrier, treats 5xx as not posted); `ok:false`: rejected unless Slack says it is transient or may have
 * partly happened; a transport failure as `classifyTransportError` says (only a failure after the request
 * was written whole is unknown).
 */
/** A message sent without a token was certainly not sent: rejected, naming the token reference. */
export function noTokenOutcome(ref: string): SendOutcome {
  return { status: 'rejected', error: `no Slack token for "${ref}"` };
}

export function classifySlackError(error: unknown, secrets: readonly string[]): SendOutcome {
  const text = describeRedacted(error, secrets);
  if (error instanceof WebAPIRateLimitedError) {
    return { status: 'retryable', error: text, retryAfterMs: error.retryAfter * 1000 };
  }
  if (error instanceof WebAPIHTTPError) {
    return error.statusCode >= 500 || error.statusCode === 429
      ? { status: 'retryable', error: text }
      : { status: 'rejected', error: text };
  }
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    if (RETRYABLE_PLATFORM_ERRORS.has(code)) return { status: 'retryable', error: text };
    if (UNKNOWN_PLATFORM_ERRORS.has(code)) return { status: 'unknown', error: text };
    return { status: 'rejected', error: text };
  }
  if (error instanceof WebAPIRequestError) {
    const verdict = classifyTransportError(error.original);
    return { status: verdict.status, error: `${text} (${verdict.why})` };
  }
  // A 429 without a usable Retry-After comes back as a plain Error from the client.
  if (error instanceof Error && /Retry header did not contain a valid timeout/.test(error.message)) {
    return { status: 'retryable', error: text };
  }
  const verdict = classifyTransportError(error);
  return { status: verdict.status, error: `${text} (${verdict.why})` };
}
