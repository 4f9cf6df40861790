import type { SlackBlock } from '../render/slack-kit.js';

/** One element a user acted on (a button press, or Enter in a dispatching text input). */
export interface InteractionAction {
  actionId: string;
  blockId: string;
  /** A button's value, or what was typed into a text input. */
  value: string;
  type: string;
}

/** The parts of a Slack `block_actions` payload this service reads. */
export interface BlockActionsPayload {
  teamId: string;
  user: { id: string; name: string };
  channelId: string;
  messageTs: string;
  /** The message as it is now, which the update is built from. */
  message: { text: string; blocks: SlackBlock[] };
  actions: InteractionAction[];
}

export type PayloadResult = { ok: true; payload: BlockActionsPayload } | { ok: false; error: string };

const SLACK_ID = /^[A-Z0-9]{2,32}$/;
const MESSAGE_TS = /^\d{1,12}\.\d{1,9}$/;

/**
 * Parses the `application/x-www-form-urlencoded` body Slack posts (`payload=<JSON>`). Only `block_actions`
 * on a message is accepted; every field used later is checked here, so a malformed payload is one clear
 * error, never a crash further on.
 */
export function parseInteractionBody(body: string): PayloadResult {
  const raw = new URLSearchParams(body).get('payload');
  if (raw === null) return { ok: false, error: 'body has no payload= field' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'payload is not JSON' };
  }
  const p = json as Record<string, unknown>;
  if (p === null || typeof p !== 'object') return { ok: false, error: 'payload is not an object' };
  if (p.type !== 'block_actions') return { ok: false, error: `unsupported payload type "${String(p.type)}"` };
  const team = p.team as Record<string, unknown> | null | undefined;
  const user = p.user as Record<string, unknown> | null | undefined;
  const container = p.container as Record<string, unknown> | null | undefined;
  const channel = p.channel as Record<string, unknown> | null | undefined;
  const message = p.message as Record<string, unknown> | null | undefined;
  const teamId = str(team?.id) ?? str(user?.team_id);
  if (!teamId || !SLACK_ID.test(teamId)) return { ok: false, error: 'payload has no team id' };
  const userId = str(user?.id);
  if (!userId || !SLACK_ID.test(userId)) return { ok: false, error: 'payload has no user id' };
  const channelId = str(container?.channel_id) ?? str(channel?.id);
  const messageTs = str(container?.message_ts) ?? str(message?.ts);
  if (!channelId || !SLACK_ID.test(channelId) || !messageTs || !MESSAGE_TS.test(messageTs) || !message)
    return { ok: false, error: 'payload is not an action on a channel message' };
  if (!Array.isArray(message.blocks)) return { ok: false, error: 'payload message has no blocks' };
  if (!Array.isArray(p.actions) || p.actions.length === 0)
    return { ok: false, error: 'payload has no actions' };
  const actions: InteractionAction[] = [];
  for (const a of p.actions as Record<string, unknown>[]) {
    const actionId = str(a?.action_id);
    if (!actionId) return { ok: false, error: 'an action has no action_id' };
    actions.push({
      actionId,
      blockId: str(a.block_id) ?? '',
      value: str(a.value) ?? '',
      type: str(a.type) ?? '',
    });
  }
  return {
    ok: true,
    payload: {
      teamId,
      user: { id: userId, name: str(user?.username) ?? str(user?.name) ?? userId },
      channelId,
      messageTs,
      message: { text: str(message.text) ?? '', blocks: message.blocks as SlackBlock[] },
      actions,
    },
  };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
