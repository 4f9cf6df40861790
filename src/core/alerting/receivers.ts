import type { Owner } from './owners.js';

/** Placeholder for "the owning team's channel" in a receiver's `slack.channel`. */
export const OWNER_CHANNEL_TEMPLATE = '{{owner.channel}}';

export const DEFAULT_SLACK_TOKEN_REF = 'SLACK_BOT_TOKEN';

export const INTEGRATION_KINDS = ['slack', 'sns', 'console'] as const;
export type IntegrationKind = (typeof INTEGRATION_KINDS)[number];

/** A receiver as written in config; each configured integration is sent to (and logged) separately. */
export interface ReceiverSpec {
  name: string;
  slack?:
    | {
        channel: string;
        /** Used when `channel` is the owner template and the group has no single owner with a channel. */
        fallback_channel?: string | undefined;
        /** Environment variable name or secret reference holding the bot token; resolved by the caller. */
        token_env?: string | undefined;
        /** Send one "resolved" message when the group's conditions end (default true). */
        send_resolved?: boolean | undefined;
      }
    | undefined;
  sns?: { topic_arn: string; send_resolved?: boolean | undefined } | undefined;
  console?: { dir?: string | undefined; send_resolved?: boolean | undefined } | undefined;
}

/** Whether an integration sends "resolved" messages: on unless `send_resolved: false` (Slack, SNS and console). */
export function sendsResolved(receiver: ReceiverSpec, kind: IntegrationKind): boolean {
  return receiver[kind]?.send_resolved ?? true;
}

export function integrationsOf(receiver: ReceiverSpec): IntegrationKind[] {
  return INTEGRATION_KINDS.filter((kind) => receiver[kind] !== undefined);
}

/**
 * Notification-log identity of one integration of a receiver. Logging per integration means a Slack
 * post that succeeded is not repeated because the SNS publish next to it must be retried.
 */
export function logReceiverId(receiver: string, kind: IntegrationKind): string {
  return `${receiver}/${kind}`;
}

export type ChannelResult = { ok: true; channel: string } | { ok: false; error: string };

/** The Slack channel a group goes to, with `{{owner.channel}}` resolved from the group's owner. */
export function resolveSlackChannel(
  slack: NonNullable<ReceiverSpec['slack']>,
  owner: Owner | undefined,
  ownerAmbiguous = false,
): ChannelResult {
  if (slack.channel !== OWNER_CHANNEL_TEMPLATE) return { ok: true, channel: slack.channel };
  if (owner?.slackChannel) return { ok: true, channel: owner.slackChannel };
  if (slack.fallback_channel) return { ok: true, channel: slack.fallback_channel };
  const why = ownerAmbiguous
    ? 'the group spans several owners (add workload to group_by)'
    : owner
      ? `team "${owner.team}" has no slack_channel in owners.teams`
      : 'no owner found (add the workload to owners.workloads)';
  return {
    ok: false,
    error: `cannot resolve ${OWNER_CHANNEL_TEMPLATE}: ${why}, and no fallback_channel is set`,
  };
}
