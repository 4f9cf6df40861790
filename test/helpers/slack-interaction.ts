import { SlackNotifier } from '../../src/adapters/slack/slack-notifier.js';
import { toAlert } from '../../src/core/alerting/alert.js';
import { slackSignature } from '../../src/core/interactivity/signature.js';
import type { SlackBlock, SlackMessage } from '../../src/core/render/slack-kit.js';
import { renderSlackMessage } from '../../src/core/render/slack-message.js';
import { makeFinding } from '../unit/core/alerting/fixtures.js';
import type { FakeSlackServer } from './slack-server.js';

export const TEAM_ID = 'T0TEAM001';
export const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';

export interface ActionInput {
  teamId?: string;
  user?: { id: string; username: string };
  channel: string;
  ts: string;
  /** The message as the channel shows it now. */
  message: SlackMessage;
  action: { action_id: string; value?: string; block_id?: string; type?: string };
}

/** A `block_actions` payload as Slack posts it: form-encoded `payload=<JSON>`. */
export function blockActionsBody(input: ActionInput): string {
  const user = input.user ?? { id: 'U0ALICE01', username: 'alice' };
  const teamId = input.teamId ?? TEAM_ID;
  const payload = {
    type: 'block_actions',
    team: { id: teamId, domain: 'example' },
    user: { id: user.id, username: user.username, name: user.username, team_id: teamId },
    api_app_id: 'A0APP0001',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: input.ts, channel_id: input.channel, is_ephemeral: false },
    trigger_id: '123.456.abc',
    channel: { id: input.channel, name: 'alerts' },
    message: {
      type: 'message',
      user: 'U0BOT0001',
      ts: input.ts,
      text: input.message.text,
      blocks: input.message.blocks,
    },
    response_url: 'https://hooks.slack.com/actions/T0TEAM001/1/abc',
    actions: [
      {
        type: input.action.type ?? 'button',
        block_id: input.action.block_id ?? 'bc-actions',
        action_id: input.action.action_id,
        value: input.action.value,
        action_ts: '1781000100.000100',
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** Headers Slack sends with a request signed at `atSec`. */
export function signedHeaders(body: string, atSec: number, secret = SIGNING_SECRET): Record<string, string> {
  const timestamp = String(atSec);
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': slackSignature(secret, timestamp, body),
  };
}

/** The value of the button with this action id in a rendered message. */
export function buttonValue(message: { blocks: unknown }, actionId: string): string {
  const blocks = message.blocks as SlackBlock[];
  for (const block of blocks) {
    if (block.type !== 'actions') continue;
    for (const element of block.elements as Record<string, unknown>[]) {
      if (element.action_id === actionId) return String(element.value);
    }
  }
  throw new Error(`no button ${actionId} in the message`);
}

/**
 * Posts a one-finding alert for `workload` (rendered as the notifier renders it) to `channel` on the
 * loopback Slack server with the real Slack notifier; returns its ts and the message as the channel shows it.
 */
export async function postAlert(
  slack: FakeSlackServer,
  options: { token: string; channel: string; workload: string },
): Promise<{ ts: string; message: SlackMessage }> {
  const message = renderSlackMessage({
    receiver: 'owners/slack',
    groupKey: 'g',
    groupLabels: {},
    alerts: [toAlert(makeFinding({ labels: { workload: options.workload } }))],
    reason: 'first',
  });
  const notifier = new SlackNotifier({
    tokens: { SLACK_BOT_TOKEN: options.token },
    slackApiUrl: slack.apiUrl,
  });
  const outcome = await notifier.send({
    kind: 'slack',
    receiver: 'owners/slack',
    groupKey: 'g',
    channel: options.channel,
    tokenRef: 'SLACK_BOT_TOKEN',
    message,
  });
  if (outcome.status !== 'delivered' || !outcome.messageId) throw new Error(JSON.stringify(outcome));
  const shown = slack.message(options.channel, outcome.messageId)!;
  return {
    ts: outcome.messageId,
    message: { text: String(shown.text), blocks: shown.blocks as SlackMessage['blocks'] },
  };
}
