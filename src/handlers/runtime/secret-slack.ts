import type { TokenSource } from '../../adapters/secrets/secret-token-source.js';
import { SlackFileUploadPublisher } from '../../adapters/slack/file-upload.js';
import { noTokenOutcome } from '../../adapters/slack/slack-client.js';
import { SlackNotifier } from '../../adapters/slack/slack-notifier.js';
import type { NotificationDelivery, Notifier, SendOutcome } from '../../app/ports/alerting.js';
import type { ReportSlackDelivery, ReportSlackPublisher } from '../../app/ports/reports.js';
import { describeRedacted } from '../../core/render/redact.js';

export interface SecretSlackOptions {
  tokens: TokenSource;
  /** Slack Web API base (`http://127.0.0.1:<port>/api/` in tests). */
  slackApiUrl?: string | undefined;
}

/**
 * Resolves the token only when a message is actually sent (most runs send nothing, and then never call
 * Secrets Manager). A token that cannot be read means the message certainly was not sent.
 */
async function resolveToken(
  tokens: TokenSource,
  ref: string,
): Promise<{ ok: true; token: string } | { ok: false; outcome: SendOutcome }> {
  try {
    const token = await tokens.token(ref);
    if (token) return { ok: true, token };
    return { ok: false, outcome: noTokenOutcome(ref) };
  } catch (error) {
    const retryable = (error as { retryable?: unknown }).retryable === true;
    return {
      ok: false,
      outcome: { status: retryable ? 'retryable' : 'rejected', error: describeRedacted(error) },
    };
  }
}

/**
 * One Slack client per token reference and token value, the token read from the TokenSource when a message is
 * sent. Keyed by reference and value: a rotated token gets a fresh client.
 */
class ClientsByToken<C> {
  private readonly byToken = new Map<string, C>();

  constructor(
    private readonly options: SecretSlackOptions,
    private readonly create: (options: {
      tokens: Record<string, string>;
      slackApiUrl: string | undefined;
    }) => C,
  ) {}

  async client(tokenRef: string): Promise<{ ok: true; client: C } | { ok: false; outcome: SendOutcome }> {
    const resolved = await resolveToken(this.options.tokens, tokenRef);
    if (!resolved.ok) return resolved;
    const key = `${tokenRef}\n${resolved.token}`;
    let client = this.byToken.get(key);
    if (!client) {
      client = this.create({ tokens: { [tokenRef]: resolved.token }, slackApiUrl: this.options.slackApiUrl });
      this.byToken.set(key, client);
    }
    return { ok: true, client };
  }
}

/** Slack alerts with the token from a TokenSource (Secrets Manager in Lambda). */
export class SecretSlackNotifier implements Notifier<'slack'> {
  private readonly clients: ClientsByToken<SlackNotifier>;

  constructor(options: SecretSlackOptions) {
    this.clients = new ClientsByToken(options, (o) => new SlackNotifier(o));
  }

  async send(delivery: Extract<NotificationDelivery, { kind: 'slack' }>): Promise<SendOutcome> {
    const found = await this.clients.client(delivery.tokenRef);
    return found.ok ? found.client.send(delivery) : found.outcome;
  }
}

/** Slack report summary + file upload with the token from a TokenSource. */
export class SecretSlackReportPublisher implements ReportSlackPublisher {
  private readonly clients: ClientsByToken<SlackFileUploadPublisher>;

  constructor(options: SecretSlackOptions) {
    this.clients = new ClientsByToken(options, (o) => new SlackFileUploadPublisher(o));
  }

  async publish(delivery: ReportSlackDelivery): Promise<SendOutcome & { note?: string | undefined }> {
    const found = await this.clients.client(delivery.tokenRef);
    return found.ok ? found.client.publish(delivery) : found.outcome;
  }
}
