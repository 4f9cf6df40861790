import type { Silence } from '../alerting/silences.js';
import { canonicalJson, sha256Hex } from '../keys.js';
import { escapeMrkdwn, fitSlackMessage, type SlackBlock, type SlackMessage } from '../render/slack-kit.js';
import { type ConditionRef, conditionMatchers, decodeConditions } from './condition-ref.js';
import type { FeedbackRecord } from './feedback.js';
import type { BlockActionsPayload, InteractionAction } from './payload.js';

const DAY_MS = 86_400_000;

/** The buttons on an alert message, by `action_id`. */
export const ACTION_IDS = {
  acknowledge: 'bc_ack',
  snooze1d: 'bc_snooze_1d',
  snooze7d: 'bc_snooze_7d',
  notAnomaly: 'bc_not_anomaly',
  /** Enter in the "why not an anomaly" input shown after Not an anomaly. */
  reason: 'bc_reason',
} as const;

export const ACTIONS_BLOCK_ID = 'bc-actions';
export const STATUS_BLOCK_ID = 'bc-status';
const REASON_BLOCK_PREFIX = 'bc-reason:';
const REASON_MAX = 500;

const SNOOZE_MS: Readonly<Record<string, number>> = {
  [ACTION_IDS.snooze1d]: DAY_MS,
  [ACTION_IDS.snooze7d]: 7 * DAY_MS,
};

/** How long "Not an anomaly" silences the condition unless configured otherwise. */
export const DEFAULT_NOT_ANOMALY_SILENCE_MS = 30 * DAY_MS;

/** The actions block of an alert message; every button carries the same encoded conditions. */
export function alertActionsBlock(value: string): SlackBlock {
  const button = (text: string, actionId: string, style?: 'primary' | 'danger') => ({
    type: 'button',
    text: { type: 'plain_text', text, emoji: true },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  });
  return {
    type: 'actions',
    block_id: ACTIONS_BLOCK_ID,
    elements: [
      button('Acknowledge', ACTION_IDS.acknowledge, 'primary'),
      button('Snooze 1 day', ACTION_IDS.snooze1d),
      button('Snooze 7 days', ACTION_IDS.snooze7d),
      button('Not an anomaly', ACTION_IDS.notAnomaly, 'danger'),
    ],
  };
}

export interface InteractionSettings {
  /** The workspace (team id) whose payloads are accepted. */
  teamId: string;
  notAnomalySilenceMs?: number | undefined;
}

/** What one interaction does: records to write, and the message as it should now read. */
export interface InteractionEffects {
  summary: string;
  acks: { conditionKey: string; acknowledgedBy: string; acknowledgedAtMs: number }[];
  silences: Silence[];
  feedback: FeedbackRecord[];
  /** A reason typed after Not an anomaly: set on the feedback records of that interaction. */
  reason?: { interactionId: string; text: string } | undefined;
  update: { channel: string; ts: string; message: SlackMessage };
}

export type InteractionPlan =
  | { ok: true; effects: InteractionEffects }
  | { ok: false; status: 400 | 403; error: string };

/**
 * Decides what a verified block_actions payload does. Pure: the clock is `nowMs`, the writes and the
 * message update are returned for the caller to perform. Payloads from another workspace (403), unknown
 * actions and values we did not write (400) do nothing.
 */
export function planInteraction(
  payload: BlockActionsPayload,
  settings: InteractionSettings,
  nowMs: number,
): InteractionPlan {
  if (payload.teamId !== settings.teamId)
    return {
      ok: false,
      status: 403,
      error: `payload from workspace ${payload.teamId}, not the configured one`,
    };
  if (payload.actions.length !== 1)
    return { ok: false, status: 400, error: `expected one action, got ${payload.actions.length}` };
  const action = payload.actions[0]!;
  if (action.actionId === ACTION_IDS.reason) return planReason(payload, action, nowMs);
  const known = Object.values(ACTION_IDS) as string[];
  if (!known.includes(action.actionId))
    return { ok: false, status: 400, error: `unknown action "${action.actionId.slice(0, 64)}"` };
  const decoded = decodeConditions(action.value);
  if (!decoded.ok) return { ok: false, status: 400, error: decoded.error };
  const context: ButtonContext = {
    payload,
    conditions: decoded.conditions,
    nowMs,
    who: `<@${payload.user.id}>`,
    when: formatUtcMinute(nowMs),
    what:
      decoded.conditions.length === 1 ? 'this condition' : `these ${decoded.conditions.length} conditions`,
  };
  if (action.actionId === ACTION_IDS.acknowledge) return { ok: true, effects: planAcknowledge(context) };
  const snoozeMs = SNOOZE_MS[action.actionId];
  if (snoozeMs !== undefined) return { ok: true, effects: planSnooze(context, snoozeMs) };
  return { ok: true, effects: planNotAnomaly(context, settings) };
}

/** A verified button press on the conditions of one message, with the words every update uses. */
interface ButtonContext {
  payload: BlockActionsPayload;
  conditions: readonly ConditionRef[];
  nowMs: number;
  /** The user's mention, the time, and "this condition" / "these N conditions". */
  who: string;
  when: string;
  what: string;
}

/** Effects that write nothing (fresh lists: callers may append). */
const noWrites = (): Pick<InteractionEffects, 'acks' | 'silences' | 'feedback'> => ({
  acks: [],
  silences: [],
  feedback: [],
});

/** The message update: the original message with `line` (and any `extra` blocks) in place of the buttons. */
function messageUpdate(
  c: ButtonContext,
  line: string,
  extra: SlackBlock[] = [],
): InteractionEffects['update'] {
  return {
    channel: c.payload.channelId,
    ts: c.payload.messageTs,
    message: updatedMessage(c.payload, [line], extra),
  };
}

/** Acknowledge: no repeats while the conditions fire. */
function planAcknowledge(c: ButtonContext): InteractionEffects {
  const n = c.conditions.length;
  return {
    ...noWrites(),
    summary: `acknowledged ${n} condition(s)`,
    acks: c.conditions.map((condition) => ({
      conditionKey: condition.key,
      acknowledgedBy: createdBy(c.payload),
      acknowledgedAtMs: c.nowMs,
    })),
    update: messageUpdate(
      c,
      `:white_check_mark: *Acknowledged* by ${c.who} at ${c.when}: no repeats while ${c.what} ${n === 1 ? 'fires' : 'fire'}.`,
    ),
  };
}

/** Snooze: a silence per condition for `snoozeMs`. */
function planSnooze(c: ButtonContext, snoozeMs: number): InteractionEffects {
  const days = snoozeMs / DAY_MS;
  const silences = c.conditions.map((condition) =>
    conditionSilence(
      condition,
      c.nowMs,
      c.nowMs + snoozeMs,
      createdBy(c.payload),
      `Snoozed ${days}d from Slack`,
    ),
  );
  return {
    ...noWrites(),
    summary: `snoozed ${c.conditions.length} condition(s) for ${days}d`,
    silences,
    update: messageUpdate(
      c,
      `:zzz: *Snoozed ${days} day${days === 1 ? '' : 's'}* by ${c.who} at ${c.when}: ${c.what} is silenced until ${formatUtcMinute(c.nowMs + snoozeMs)}.`,
    ),
  };
}

/** Not an anomaly: a silence and a feedback record per condition, and an input for an optional reason. */
function planNotAnomaly(c: ButtonContext, settings: InteractionSettings): InteractionEffects {
  const { payload, nowMs } = c;
  const endsAtMs = nowMs + (settings.notAnomalySilenceMs ?? DEFAULT_NOT_ANOMALY_SILENCE_MS);
  const interactionId = sha256Hex(
    canonicalJson({ channel: payload.channelId, ts: payload.messageTs, user: payload.user.id, nowMs }),
  ).slice(0, 16);
  const silences: Silence[] = [];
  const feedback: FeedbackRecord[] = [];
  for (const condition of c.conditions) {
    const silence = conditionSilence(
      condition,
      nowMs,
      endsAtMs,
      createdBy(payload),
      'Not an anomaly (Slack feedback)',
    );
    silences.push(silence);
    feedback.push({
      id: `fb-${interactionId}-${feedback.length + 1}`,
      interactionId,
      verdict: 'not-an-anomaly',
      conditionKey: condition.key,
      rule: condition.rule,
      labels: condition.labels,
      userId: payload.user.id,
      userName: payload.user.name,
      atMs: nowMs,
      reason: '',
      silenceId: silence.id,
      channel: payload.channelId,
      messageTs: payload.messageTs,
    });
  }
  return {
    ...noWrites(),
    summary: `marked ${c.conditions.length} condition(s) not an anomaly`,
    silences,
    feedback,
    update: messageUpdate(
      c,
      `:no_entry_sign: *Not an anomaly*: marked by ${c.who} at ${c.when}; ${c.what} is silenced until ${formatUtcMinute(endsAtMs)}.`,
      [reasonInputBlock(interactionId)],
    ),
  };
}

function planReason(payload: BlockActionsPayload, action: InteractionAction, nowMs: number): InteractionPlan {
  if (!action.blockId.startsWith(REASON_BLOCK_PREFIX))
    return { ok: false, status: 400, error: 'reason input outside its block' };
  const interactionId = action.blockId.slice(REASON_BLOCK_PREFIX.length);
  if (!/^[0-9a-f]{16}$/.test(interactionId))
    return { ok: false, status: 400, error: 'malformed reason block' };
  const text = action.value.trim().slice(0, REASON_MAX);
  const line = text
    ? `:memo: Reason from <@${payload.user.id}> at ${formatUtcMinute(nowMs)}: ${escapeMrkdwn(text.replace(/\s+/g, ' '))}`
    : `:memo: No reason given (<@${payload.user.id}>, ${formatUtcMinute(nowMs)}).`;
  return {
    ok: true,
    effects: {
      summary: 'recorded a reason',
      acks: [],
      silences: [],
      feedback: [],
      reason: { interactionId, text },
      update: {
        channel: payload.channelId,
        ts: payload.messageTs,
        message: updatedMessage(payload, [line], []),
      },
    },
  };
}

function reasonInputBlock(interactionId: string): SlackBlock {
  return {
    type: 'input',
    block_id: `${REASON_BLOCK_PREFIX}${interactionId}`,
    dispatch_action: true,
    optional: true,
    label: { type: 'plain_text', text: 'Why is this not an anomaly? (optional: type, then press Enter)' },
    element: {
      type: 'plain_text_input',
      action_id: ACTION_IDS.reason,
      max_length: REASON_MAX,
      dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] },
    },
  };
}

function createdBy(payload: BlockActionsPayload): string {
  return `${payload.user.name} (Slack ${payload.user.id})`;
}

function conditionSilence(
  condition: ConditionRef,
  startsAtMs: number,
  endsAtMs: number,
  by: string,
  comment: string,
): Silence {
  return {
    id: `slack-${sha256Hex(canonicalJson({ c: condition.key, startsAtMs, endsAtMs, comment })).slice(0, 12)}`,
    matchers: conditionMatchers(condition),
    startsAtMs,
    endsAtMs,
    createdBy: by,
    comment,
  };
}

/**
 * The message after an action: its blocks as Slack sent them, the status lines (who did what, when)
 * gathered in one context block above the buttons, any earlier reason input removed, `extra` blocks
 * (the reason input) before the buttons.
 */
function updatedMessage(
  payload: BlockActionsPayload,
  lines: readonly string[],
  extra: SlackBlock[],
): SlackMessage {
  const blocks = payload.message.blocks;
  const previous = blocks.find((b) => b.block_id === STATUS_BLOCK_ID);
  const previousLines = previous ? statusLines(previous) : [];
  const kept = blocks.filter(
    (b) =>
      b.block_id !== STATUS_BLOCK_ID &&
      b.block_id !== ACTIONS_BLOCK_ID &&
      !(typeof b.block_id === 'string' && b.block_id.startsWith(REASON_BLOCK_PREFIX)),
  );
  const actions = blocks.filter((b) => b.block_id === ACTIONS_BLOCK_ID);
  const status: SlackBlock = {
    type: 'context',
    block_id: STATUS_BLOCK_ID,
    // A context holds at most 10 elements: the newest ten actions are shown.
    elements: [...previousLines, ...lines].slice(-10).map((text) => ({ type: 'mrkdwn', text })),
  };
  return fitSlackMessage({ text: payload.message.text, blocks: [...kept, status, ...extra, ...actions] });
}

function statusLines(block: SlackBlock): string[] {
  const elements = Array.isArray(block.elements) ? (block.elements as Record<string, unknown>[]) : [];
  return elements.flatMap((e) => (typeof e?.text === 'string' ? [e.text] : []));
}

/** `2026-06-03 14:05 UTC`. */
export function formatUtcMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
