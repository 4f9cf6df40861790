import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, startLoopbackServer } from './loopback-server.js';

/** One Publish the fake SNS accepted, decoded from the Query API form. */
export interface SnsPublish {
  topicArn: string;
  subject: string | undefined;
  message: string;
  attributes: Record<string, { dataType: string; value: string }>;
  messageGroupId: string | undefined;
  messageDeduplicationId: string | undefined;
  messageId: string;
}

export type SnsStep =
  | { kind: 'ok' }
  | { kind: 'error'; status: number; code: string; message: string; type?: 'Sender' | 'Receiver' }
  | { kind: 'hang' };

export interface FakeSnsServer {
  endpoint: string;
  /** Every Publish request received (including failed and deduplicated ones). */
  requests: Record<string, string>[];
  /** Messages SNS accepted and fanned out; FIFO duplicates within the window are not repeated here. */
  published: SnsPublish[];
  script(...steps: SnsStep[]): void;
  close(): Promise<void>;
}

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

/**
 * A loopback server speaking the SNS Query API for `Action=Publish`: form-encoded POST in, XML
 * `PublishResponse` or `ErrorResponse` out, FIFO rules (group id required, dedup id window). 127.0.0.1 only.
 */
export async function startSnsServer(): Promise<FakeSnsServer> {
  const requests: Record<string, string>[] = [];
  const published: SnsPublish[] = [];
  const steps: SnsStep[] = [];
  const fifoSeen = new Map<string, string>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    requests.push(form);
    const xml = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/xml' });
      res.end(body);
    };
    const fail = (status: number, code: string, message: string, type = 'Sender') =>
      xml(
        status,
        `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
      );
    if (form.Action !== 'Publish') return fail(400, 'InvalidAction', `unsupported action ${form.Action}`);
    const step = steps.shift() ?? { kind: 'ok' };
    if (step.kind === 'hang') return;
    if (step.kind === 'error') return fail(step.status, step.code, step.message, step.type);
    const topicArn = form.TopicArn ?? '';
    const fifo = topicArn.endsWith('.fifo');
    if (!form.Message) return fail(400, 'InvalidParameter', 'Invalid parameter: Message');
    if (fifo && !form.MessageGroupId)
      return fail(400, 'InvalidParameter', 'Invalid parameter: MessageGroupId is required for FIFO topics');
    if (!fifo && form.MessageGroupId)
      return fail(400, 'InvalidParameter', 'Invalid parameter: MessageGroupId is only for FIFO topics');
    const dedupKey = fifo ? `${topicArn}|${form.MessageDeduplicationId}` : undefined;
    let messageId = dedupKey ? fifoSeen.get(dedupKey) : undefined;
    if (!messageId) {
      messageId = randomUUID();
      if (dedupKey) fifoSeen.set(dedupKey, messageId);
      published.push({
        topicArn,
        subject: form.Subject,
        message: form.Message,
        attributes: decodeAttributes(form),
        messageGroupId: form.MessageGroupId,
        messageDeduplicationId: form.MessageDeduplicationId,
        messageId,
      });
    }
    const sequence = fifo
      ? `<SequenceNumber>${String(published.length).padStart(20, '0')}</SequenceNumber>`
      : '';
    return xml(
      200,
      `<PublishResponse xmlns="${XMLNS}"><PublishResult><MessageId>${messageId}</MessageId>${sequence}</PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
    );
  };

  const { port, close } = await startLoopbackServer(handle);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    published,
    script: (...more) => steps.push(...more),
    close,
  };
}

function decodeAttributes(form: Record<string, string>): SnsPublish['attributes'] {
  const out: SnsPublish['attributes'] = {};
  for (let i = 1; form[`MessageAttributes.entry.${i}.Name`] !== undefined; i++) {
    const name = form[`MessageAttributes.entry.${i}.Name`]!;
    out[name] = {
      dataType: form[`MessageAttributes.entry.${i}.Value.DataType`] ?? '',
      value: form[`MessageAttributes.entry.${i}.Value.StringValue`] ?? '',
    };
  }
  return out;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
