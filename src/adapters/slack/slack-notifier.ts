import type { WebClientOptions } from '@slack/web-api';
import type { NotificationDelivery, Notifier, SendOutcome } from '../../app/ports/alerting.js';
import { classifySlackError, noTokenOutcome, type SlackClientOptions, SlackClients } from './slack-client.js';

export interface SlackNotifierOptions extends SlackClientOptions {
  /** Token values by the reference receivers name (`token_env`); the caller reads env or secrets. */
  tokens: Readonly<Record<string, string | undefined>>;
  fetch?: WebClientOptions['fetch'];
}

/**
 * Posts to Slack with `chat.postMessage`: waits out 429 Retry-After (a Retry-After beyond the bound is a
 * `retryable` outcome with that delay) and classifies every other failure. Tokens never appear in outcomes.
 */
export class SlackNotifier implements Notifier<'slack'> {
  private readonly clients: SlackClients;

  constructor(private readonly options: SlackNotifierOptions) {
    this.clients = new SlackClients(options, options.fetch);
  }

  async send(delivery: Extract<NotificationDelivery, { kind: 'slack' }>): Promise<SendOutcome> {
    const token = this.options.tokens[delivery.tokenRef];
    if (!token) return noTokenOutcome(delivery.tokenRef);
    const client = this.clients.for(token);
    try {
      const result = await this.clients.waitingOutRateLimits(token, () =>
        client.chat.postMessage({
          channel: delivery.channel,
          text: delivery.message.text,
          // biome-ignore lint/suspicious/noExplicitAny: Block Kit blocks are rendered as plain data in core.
          blocks: delivery.message.blocks as any,
          unfurl_links: false,
          unfurl_media: false,
        }),
      );
      return { status: 'delivered', messageId: result.ts };
    } catch (error) {
      return classifySlackError(error, [token]);
    }
  }
}
