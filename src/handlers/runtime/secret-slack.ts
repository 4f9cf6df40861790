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

/** Slack alerts with the token from a TokenSource (Secrets Manager in Lambda). */
export class SecretSlackNotifier implements Notifier<'slack'> {
  private readonly byToken = new Map<string, SlackNotifier>();

  constructor(private readonly options: SecretSlackOptions) {}

  async send(delivery: Extract<NotificationDelivery, { kind: 'slack' }>): Promise<SendOutcome> {
    const resolved = await resolveToken(this.options.tokens, delivery.tokenRef);
    if (!resolved.ok) return resolved.outcome;
    const key = `${delivery.tokenRef}\n${resolved.token}`;
    let notifier = this.byToken.get(key);
    if (!notifier) {
      notifier = new SlackNotifier({
        tokens: { [delivery.tokenRef]: resolved.token },
        slackApiUrl: this.options.slackApiUrl,
      });
      this.byToken.set(key, notifier);
    }
    // Keyed by reference and value: a rotated token gets a fresh client.
    return notifier.send(delivery);
  }
}

/** Slack report summary + file upload with the token from a TokenSource. */
export class SecretSlackReportPublisher implements ReportSlackPublisher {
  private readonly byToken = new Map<string, SlackFileUploadPublisher>();

  constructor(private readonly options: SecretSlackOptions) {}

  async publish(delivery: ReportSlackDelivery): Promise<SendOutcome & { note?: string | undefined }> {
    const resolved = await resolveToken(this.options.tokens, delivery.tokenRef);
    if (!resolved.ok) return resolved.outcome;
    const key = `${delivery.tokenRef}\n${resolved.token}`;
    let publisher = this.byToken.get(key);
    if (!publisher) {
      publisher = new SlackFileUploadPublisher({
        tokens: { [delivery.tokenRef]: resolved.token },
        slackApiUrl: this.options.slackApiUrl,
      });
      this.byToken.set(key, publisher);
    }
    return publisher.publish(delivery);
  }
}
