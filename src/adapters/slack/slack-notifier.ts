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
import type { NotificationDelivery, Notifier, SendOutcome } from '../../app/ports.js';
import { describeRedacted } from '../../core/render/redact.js';
import { CONNECTION_NOT_MADE_CODES, errnoCode } from '../network-errors.js';

export interface SlackNotifierOptions {
  /** Token values by the reference receivers name (`token_env`); the caller reads env or secrets. */
  tokens: Readonly<Record<string, string | undefined>>;
  /** Override for tests (`http://127.0.0.1:<port>/api/`). */
  slackApiUrl?: string | undefined;
  /** Per-request timeout; a timeout after the request was written is an `unknown` outcome. */
  timeoutMs?: number | undefined;
  /** How many 429s to wait out (Retry-After) before reporting `retryable`. */
  maxRateLimitRetries?: number | undefined;
  /** A Retry-After longer than this is not waited for: the outcome is `retryable` with that delay. */
  maxRetryAfterMs?: number | undefined;
  fetch?: WebClientOptions['fetch'];
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
// Failures before any byte of the request reached the server.
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  ...CONNECTION_NOT_MADE_CODES,
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

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
 * Posts to Slack with `chat.postMessage`. The client's own retries are off (they would resend after a
 * 5xx or timeout, which may already have posted): this adapter waits out 429 Retry-After itself and
 * classifies every other failure. Tokens never appear in outcomes.
 */
export class SlackNotifier implements Notifier<'slack'> {
  private readonly clients = new Map<string, WebClient>();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: SlackNotifierOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async send(delivery: Extract<NotificationDelivery, { kind: 'slack' }>): Promise<SendOutcome> {
    const token = this.options.tokens[delivery.tokenRef];
    if (!token) return { status: 'rejected', error: `no Slack token for "${delivery.tokenRef}"` };
    const client = this.clientFor(token);
    const maxRetries = this.options.maxRateLimitRetries ?? 2;
    const maxRetryAfterMs = this.options.maxRetryAfterMs ?? 30_000;
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await client.chat.postMessage({
          channel: delivery.channel,
          text: delivery.message.text,
          // biome-ignore lint/suspicious/noExplicitAny: Block Kit blocks are rendered as plain data in core.
          blocks: delivery.message.blocks as any,
          unfurl_links: false,
          unfurl_media: false,
        });
        return { status: 'delivered', messageId: result.ts };
      } catch (error) {
        const outcome = classifySlackError(error, [token]);
        const waitMs = outcome.status === 'retryable' ? outcome.retryAfterMs : undefined;
        if (waitMs === undefined || attempt >= maxRetries || waitMs > maxRetryAfterMs) return outcome;
        await this.sleep(waitMs);
      }
    }
  }

  private clientFor(token: string): WebClient {
    let client = this.clients.get(token);
    if (!client) {
      client = new WebClient(token, {
        slackApiUrl: this.options.slackApiUrl,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        timeout: this.options.timeoutMs ?? 10_000,
        logger: silentLogger,
        allowAbsoluteUrls: false,
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      });
      this.clients.set(token, client);
    }
    return client;
  }
}

/**
 * Maps a `@slack/web-api` failure to an outcome. 429 and 5xx: retryable (Slack, like Alertmanager's
 * retrier, treats 5xx as not posted); `ok:false`: rejected unless Slack says it is transient or may have
 * partly happened; a connection that failed before the request was written: retryable; anything after
 * (timeout, reset): unknown.
 */
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
    const code = errnoCode(error.original);
    if (code !== undefined && NOT_SENT_CODES.has(code)) return { status: 'retryable', error: text };
    return { status: 'unknown', error: text };
  }
  // A 429 without a usable Retry-After comes back as a plain Error from the client.
  if (error instanceof Error && /Retry header did not contain a valid timeout/.test(error.message)) {
    return { status: 'retryable', error: text };
  }
  return { status: 'unknown', error: text };
}
