import { slackSignature } from '../../src/core/interactivity/signature.js';
import type { SlackBlock, SlackMessage } from '../../src/core/render/slack-kit.js';

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
