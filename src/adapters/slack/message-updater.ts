import type { WebClientOptions } from '@slack/web-api';
import type { SendOutcome, SlackMessageUpdater } from '../../app/ports/alerting.js';
import type { SlackMessage } from '../../core/render/slack-kit.js';
import { classifySlackError, noTokenOutcome, type SlackClientOptions, SlackClients } from './slack-client.js';

export interface SlackUpdaterOptions extends SlackClientOptions {
  /** The bot token (`chat:write`); resolved per call, so a rotated secret is picked up. */
  token: () => Promise<string | undefined>;
  /** Names the token in the "no token" outcome (an env variable or secret id, never the value). */
  tokenRef: string;
  fetch?: WebClientOptions['fetch'];
}

/**
 * `chat.update` with the notifier's client set-up: client retries off, 429 Retry-After waited out within
 * bounds, every failure classified and redacted (the token never appears in an outcome).
 */
export class SlackChatUpdater implements SlackMessageUpdater {
  private readonly clients: SlackClients;

  constructor(private readonly options: SlackUpdaterOptions) {
    this.clients = new SlackClients(options, options.fetch);
  }

  async update(target: { channel: string; ts: string }, message: SlackMessage): Promise<SendOutcome> {
    let token: string | undefined;
    try {
      token = await this.options.token();
    } catch (error) {
      return classifySlackError(error, []);
    }
    if (!token) return noTokenOutcome(this.options.tokenRef);
    const client = this.clients.for(token);
    try {
      const result = await this.clients.waitingOutRateLimits(token, () =>
        client.chat.update({
          channel: target.channel,
          ts: target.ts,
          text: message.text,
          // biome-ignore lint/suspicious/noExplicitAny: Block Kit blocks are rendered as plain data in core.
          blocks: message.blocks as any,
        }),
      );
      return { status: 'delivered', messageId: result.ts };
    } catch (error) {
      return classifySlackError(error, [token]);
    }
  }
}
