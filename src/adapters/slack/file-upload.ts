import type { WebClient } from '@slack/web-api';
import type { SendOutcome } from '../../app/ports/alerting.js';
import type { ReportSlackDelivery, ReportSlackPublisher } from '../../app/ports/reports.js';
import { describeRedacted } from '../../core/render/redact.js';
import { classifySlackError, noTokenOutcome, type SlackClientOptions, SlackClients } from './slack-client.js';

export interface SlackFileUploadOptions extends SlackClientOptions {
  /** Token values by the reference receivers name (`token_env`); the caller reads env or secrets. */
  tokens: Readonly<Record<string, string | undefined>>;
  /** Used for the raw upload to Slack's `upload_url` (the Web API client is not used for that URL). */
  fetch?: typeof fetch | undefined;
}

/**
 * Posts a report's Block Kit summary with `chat.postMessage`, then uploads the report file into the
 * summary's thread with Slack's external upload flow: `files.getUploadURLExternal` → POST the bytes to the
 * returned `upload_url` → `files.completeUploadExternal` with the channel id the post answered with (a
 * receiver may name the channel `#finops`; the upload API takes ids only).
 *
 * At most once: the post is the send. If it fails, nothing was shared and the outcome says whether to retry.
 * Once it succeeded, a failed upload does not undo it: the outcome is `delivered` with a note, because
 * retrying would post the summary again.
 */
export class SlackFileUploadPublisher implements ReportSlackPublisher {
  private readonly clients: SlackClients;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: SlackFileUploadOptions) {
    this.clients = new SlackClients(options);
    this.fetchFn = options.fetch ?? fetch;
  }

  async publish(delivery: ReportSlackDelivery): Promise<SendOutcome & { note?: string | undefined }> {
    const token = this.options.tokens[delivery.tokenRef];
    if (!token) return noTokenOutcome(delivery.tokenRef);
    const client = this.clients.for(token);
    let posted: { channel: string; ts: string };
    try {
      const result = await this.clients.postMessage(token, delivery.channel, delivery.message);
      posted = { channel: String(result.channel ?? delivery.channel), ts: String(result.ts ?? '') };
    } catch (error) {
      return classifySlackError(error, [token]);
    }
    try {
      const fileId = await this.upload(client, token, delivery, posted);
      return { status: 'delivered', messageId: posted.ts, note: `file ${fileId} uploaded` };
    } catch (error) {
      return {
        status: 'delivered',
        messageId: posted.ts,
        note: `summary posted but ${delivery.file.name} was not uploaded: ${describeRedacted(error, [token])}`,
      };
    }
  }

  /** The three-step upload; returns the Slack file id. */
  async upload(
    client: WebClient,
    token: string,
    delivery: ReportSlackDelivery,
    posted: { channel: string; ts: string },
  ): Promise<string> {
    const bytes = new TextEncoder().encode(delivery.file.content);
    const ticket = await this.clients.waitingOutRateLimits(token, () =>
      client.files.getUploadURLExternal({ filename: delivery.file.name, length: bytes.byteLength }),
    );
    if (!ticket.upload_url || !ticket.file_id)
      throw new Error('files.getUploadURLExternal returned no upload_url');
    const response = await this.fetchFn(ticket.upload_url, {
      method: 'POST',
      headers: { 'content-type': delivery.file.mimeType },
      body: bytes,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
    });
    if (!response.ok) throw new Error(`upload to upload_url failed: HTTP ${response.status}`);
    await response.arrayBuffer().catch(() => undefined);
    await this.clients.waitingOutRateLimits(token, () =>
      client.files.completeUploadExternal({
        files: [{ id: ticket.file_id!, title: delivery.file.name }],
        channel_id: posted.channel,
        ...(posted.ts ? { thread_ts: posted.ts } : {}),
      }),
    );
    return ticket.file_id;
  }
}
