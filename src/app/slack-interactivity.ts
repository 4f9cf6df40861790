import { type InteractionSettings, planInteraction } from '../core/interactivity/actions.js';
import { parseInteractionBody } from '../core/interactivity/payload.js';
import { SIGNATURE_WINDOW_MS, verifySlackSignature } from '../core/interactivity/signature.js';
import { describeRedacted } from '../core/render/redact.js';
import type {
  Clock,
  ConditionAckStore,
  FeedbackStore,
  ReplayGuard,
  SendOutcome,
  SilenceStore,
  SlackMessageUpdater,
} from './ports/alerting.js';
import type { InteractionRequest, InteractionResponse } from './ports/interactivity.js';

/** An HTTP request as both hosts (the local server, the Lambda Function URL) hand it over. */
export interface InteractivityDeps {
  /** The Slack app's signing secret (read lazily: Secrets Manager in Lambda). */
  signingSecret: () => Promise<string>;
  settings: InteractionSettings;
  acks: ConditionAckStore;
  silences: SilenceStore;
  feedback: FeedbackStore;
  replay: ReplayGuard;
  slack: SlackMessageUpdater;
  clock: Clock;
}

const reply = (status: number, outcome: string, body = ''): InteractionResponse => ({
  status,
  body,
  outcome,
});

/**
 * One Slack interactive request, end to end: verify the signature (401), refuse a replay (409), parse
 * (400), refuse another workspace (403) and unknown actions (400), write the records, then rewrite the
 * message with who did what. Slack wants a 200 within 3 seconds and shows an error otherwise; a failed
 * chat.update still answers 200 (the records are written), and says so in `outcome`.
 */
export async function handleSlackInteraction(
  request: InteractionRequest,
  deps: InteractivityDeps,
): Promise<InteractionResponse> {
  if (request.method.toUpperCase() !== 'POST') return reply(405, 'method not allowed');
  const nowMs = deps.clock().getTime();
  const signature = request.headers['x-slack-signature'];
  const verdict = verifySlackSignature(
    await deps.signingSecret(),
    { timestamp: request.headers['x-slack-request-timestamp'], signature, body: request.body },
    nowMs,
  );
  if (!verdict.ok)
    return reply(401, `rejected: ${verdict.reason} (${verdict.detail})`, 'invalid request signature');
  // A valid signature is single-use within the window in which it would verify.
  const first = await deps.replay.firstSeen(signature!, verdict.timestampMs + SIGNATURE_WINDOW_MS, nowMs);
  if (!first) return reply(409, 'rejected: replayed request', 'request already handled');
  const parsed = parseInteractionBody(request.body);
  if (!parsed.ok) return reply(400, `rejected: ${parsed.error}`, parsed.error);
  const plan = planInteraction(parsed.payload, deps.settings, nowMs);
  if (!plan.ok) return reply(plan.status, `rejected: ${plan.error}`, plan.error);
  const { effects } = plan;
  for (const ack of effects.acks) await deps.acks.put(ack);
  for (const silence of effects.silences) await deps.silences.put(silence);
  await deps.feedback.put(effects.feedback);
  if (effects.reason) {
    const { interactionId, text } = effects.reason;
    const records = (await deps.feedback.list()).filter((r) => r.interactionId === interactionId);
    await deps.feedback.put(records.map((r) => ({ ...r, reason: text })));
  }
  let update: SendOutcome;
  try {
    update = await deps.slack.update(effects.update, effects.update.message);
  } catch (error) {
    update = { status: 'unknown', error: describeRedacted(error) };
  }
  const updated = update.status === 'delivered' ? 'message updated' : `message not updated (${update.error})`;
  return {
    status: 200,
    body: '',
    outcome: `${parsed.payload.user.id} ${effects.summary}; ${updated}`,
    update,
  };
}
