import {
  PublishCommand,
  type PublishCommandInput,
  SNSClient,
  type SNSClientConfig,
} from '@aws-sdk/client-sns';
import type { NotificationDelivery, Notifier, SendOutcome } from '../../app/ports/alerting.js';
import { describeRedacted } from '../../core/render/redact.js';
import { awsErrorFacts, isTryLater } from '../aws-errors.js';
import { classifyTransportError } from '../network-errors.js';
import {
  ProgressTrackingHttpAgent,
  ProgressTrackingHttpsAgent,
  withRequestProgress,
} from '../request-progress.js';

/** FIFO topics require a group id and (without content-based dedup) a dedup id. */
export function isFifoTopic(topicArn: string): boolean {
  return topicArn.endsWith('.fifo');
}

/**
 * An SNS client that makes one attempt per publish: the SDK's own retries would re-publish after a 5xx
 * or timeout that may already have fanned out to the pager, so the notify use case decides instead.
 */
export function createSnsClient(
  config: Omit<SNSClientConfig, 'maxAttempts'> & { requestTimeoutMs?: number | undefined } = {},
): SNSClient {
  const { requestTimeoutMs = 10_000, ...rest } = config;
  return new SNSClient({
    ...rest,
    maxAttempts: 1,
    requestHandler: rest.requestHandler ?? {
      requestTimeout: requestTimeoutMs,
      connectionTimeout: requestTimeoutMs,
      // Without this the SDK only logs a breached requestTimeout and keeps waiting.
      throwOnRequestTimeout: true,
      // Mark each failure with whether its request was written whole (see classifySnsError).
      httpAgent: new ProgressTrackingHttpAgent({ keepAlive: true }),
      httpsAgent: new ProgressTrackingHttpsAgent({ keepAlive: true }),
    },
  });
}

// SNS's Query API is XML: characters outside XML 1.0's set (most C0 controls, U+FFFE/U+FFFF, lone
// surrogates) make Publish fail with InvalidParameter, so a tag value holding one would lose the page.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** The text with every character SNS cannot carry replaced by U+FFFD. */
export function snsSafeText(text: string): string {
  return text.replace(NOT_XML_CHAR, '\ufffd');
}

export function toPublishInput(
  delivery: Extract<NotificationDelivery, { kind: 'sns' }>,
): PublishCommandInput {
  const { message, topicArn } = delivery;
  const attribute = (value: string) => ({ DataType: 'String', StringValue: snsSafeText(value) || '-' });
  return {
    TopicArn: topicArn,
    Subject: snsSafeText(message.subject),
    Message: snsSafeText(message.message),
    MessageAttributes: {
      severity: attribute(message.attributes.severity),
      rule: attribute(message.attributes.rule),
      workload: attribute(message.attributes.workload),
      ...(message.attributes.status ? { status: attribute(message.attributes.status) } : {}),
    },
    ...(isFifoTopic(topicArn)
      ? { MessageGroupId: message.messageGroupId, MessageDeduplicationId: message.deduplicationId }
      : {}),
  };
}

/** Publishes to SNS (with attributes for subscription filter policies) and classifies the outcome. */
export class SnsNotifier implements Notifier<'sns'> {
  constructor(private readonly client: SNSClient) {}

  async send(delivery: Extract<NotificationDelivery, { kind: 'sns' }>): Promise<SendOutcome> {
    try {
      const out = await withRequestProgress(() =>
        this.client.send(new PublishCommand(toPublishInput(delivery))),
      );
      return { status: 'delivered', messageId: out.MessageId };
    } catch (error) {
      return classifySnsError(error);
    }
  }
}

/**
 * Maps an SNS SDK failure to an outcome: throttling and 5xx retryable; other service errors (4xx:
 * NotFound, AuthorizationError, InvalidParameter) rejected; a transport failure as `classifyTransportError`
 * says: never connected retryable, TLS certificate or request-building errors rejected, and only a failure
 * after the request was written whole (timeout, reset) unknown.
 */
export function classifySnsError(error: unknown): SendOutcome {
  const text = describeRedacted(error);
  const facts = awsErrorFacts(error);
  if (facts.status !== undefined)
    return { status: isTryLater(facts) ? 'retryable' : 'rejected', error: text };
  if (facts.name === 'CredentialsProviderError') return { status: 'rejected', error: text };
  // The connect-phase timeout fires before any byte is written; every other timeout may be after.
  if (facts.name === 'TimeoutError' && /did not establish a connection/.test(text))
    return { status: 'retryable', error: text };
  const verdict = classifyTransportError(error);
  return { status: verdict.status, error: `${text} (${verdict.why})` };
}
