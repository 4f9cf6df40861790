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
    try {
      const result = await this.clients.postMessage(token, delivery.channel, delivery.message);
      return { status: 'delivered', messageId: result.ts };
    } catch (error) {
      return classifySlackError(error, [token]);
    }
  }
}
