import { describe, expect, it } from 'vitest';
import { toAlert } from '../../../../src/core/alerting/alert.js';
import { silencedBy } from '../../../../src/core/alerting/silences.js';
import {
  ACTION_IDS,
  DEFAULT_NOT_ANOMALY_SILENCE_MS,
  planInteraction,
} from '../../../../src/core/interactivity/actions.js';
import { parseInteractionBody } from '../../../../src/core/interactivity/payload.js';
import type { NotificationContent } from '../../../../src/core/render/notification-content.js';
import { renderSlackMessage } from '../../../../src/core/render/slack-message.js';
import { blockActionsBody, buttonValue, TEAM_ID } from '../../../helpers/slack-interaction.js';
import { DAY_MS, makeFinding } from '../alerting/fixtures.js';

const NOW = Date.parse('2026-06-16T09:30:00Z');
const spike = makeFinding();
const verbose = makeFinding({ rule: 'verbose-output', severity: 'warning' });
const content: NotificationContent = {
  receiver: 'owners/slack',
  groupKey: 'g',
  groupLabels: { workload: 'support-bot' },
  alerts: [toAlert(spike), toAlert(verbose)],
  reason: 'first',
  owner: { team: 'ml-platform', mention: 'S0123ABCD' },
};
const posted = renderSlackMessage(content);

function press(
  actionId: string,
  overrides: { teamId?: string; value?: string; blockId?: string; type?: string } = {},
) {
  const body = blockActionsBody({
    ...(overrides.teamId ? { teamId: overrides.teamId } : {}),
    channel: 'C0ALERTS1',
    ts: '1781000000.000001',
    message: posted,
    action: {
      action_id: actionId,
      value: overrides.value ?? buttonValue(posted, ACTION_IDS.acknowledge),
      ...(overrides.blockId ? { block_id: overrides.blockId } : {}),
      ...(overrides.type ? { type: overrides.type } : {}),
    },
  });
  const parsed = parseInteractionBody(body);
  if (!parsed.ok) throw new Error(parsed.error);
  return planInteraction(parsed.payload, { teamId: TEAM_ID }, NOW);
}

const statusOf = (plan: ReturnType<typeof press>) => {
  if (!plan.ok) throw new Error(plan.error);
  const status = plan.effects.update.message.blocks.find((b) => b.block_id === 'bc-status') as {
    elements: { text: string }[];
  };
  return status.elements.map((e) => e.text);
};

describe('planInteraction', () => {
  it('every button of an alert carries both conditions of the group', () => {
    const values = Object.values(ACTION_IDS)
      .filter((id) => id !== ACTION_IDS.reason)
      .map((id) => buttonValue(posted, id));
    expect(new Set(values).size).toBe(1);
    expect(JSON.parse(values[0]!)[1]).toHaveLength(2);
  });

  it('Acknowledge: one ack per condition, by the Slack user, and the message says who and when', () => {
    const plan = press(ACTION_IDS.acknowledge);
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.effects.acks).toEqual([
      {
        conditionKey: expect.stringMatching(/^cond-/),
        acknowledgedBy: 'alice (Slack U0ALICE01)',
        acknowledgedAtMs: NOW,
      },
      {
        conditionKey: expect.stringMatching(/^cond-/),
        acknowledgedBy: 'alice (Slack U0ALICE01)',
        acknowledgedAtMs: NOW,
      },
    ]);
    expect(plan.effects.silences).toEqual([]);
    expect(plan.effects.update).toMatchObject({ channel: 'C0ALERTS1', ts: '1781000000.000001' });
    expect(statusOf(plan)).toEqual([
      ':white_check_mark: *Acknowledged* by <@U0ALICE01> at 2026-06-16 09:30 UTC: no repeats while these 2 conditions fire.',
    ]);
    // The original content and the buttons stay; the status sits right above the buttons.
    const types = plan.effects.update.message.blocks.map((b) => b.block_id ?? b.type);
    expect(types.slice(-2)).toEqual(['bc-status', 'bc-actions']);
    expect(plan.effects.update.message.blocks.slice(0, posted.blocks.length - 1)).toEqual(
      posted.blocks.slice(0, -1),
    );
  });

  it('Snooze 7 days: a silence per condition on its matchers, until now + 7 days, created by the user', () => {
    const plan = press(ACTION_IDS.snooze7d);
    if (!plan.ok) throw new Error(plan.error);
    expect(plan.effects.silences).toHaveLength(2);
    for (const silence of plan.effects.silences) {
      expect(silence).toMatchObject({
        startsAtMs: NOW,
        endsAtMs: NOW + 7 * DAY_MS,
        createdBy: 'alice (Slack U0ALICE01)',
        comment: 'Snoozed 7d from Slack',
      });
    }
    // The next day's finding of the spike condition is silenced, another workload's is not.
    const tomorrow = toAlert(makeFinding({ day: '2026-06-17' }));
    const other = toAlert(makeFinding({ labels: { workload: 'search' } }));
    expect(silencedBy(tomorrow.labels, plan.effects.silences, NOW + DAY_MS)).toBeDefined();
    expect(silencedBy(other.labels, plan.effects.silences, NOW + DAY_MS)).toBeUndefined();
    expect(silencedBy(tomorrow.labels, plan.effects.silences, NOW + 7 * DAY_MS)).toBeUndefined();
    expect(statusOf(plan)[0]).toContain('*Snoozed 7 days* by <@U0ALICE01> at 2026-06-16 09:30 UTC');
    expect(statusOf(plan)[0]).toContain('until 2026-06-23 09:30 UTC');
  });

  it('Snooze 1 day ends a day later', () => {
    const plan = press(ACTION_IDS.snooze1d);
    if (!plan.ok) throw new Error(plan.error);
    expect(plan.effects.silences.map((s) => s.endsAtMs)).toEqual([NOW + DAY_MS, NOW + DAY_MS]);
  });

  it('Not an anomaly: a silence and a feedback record per condition, and an input for the reason', () => {
    const plan = press(ACTION_IDS.notAnomaly);
    if (!plan.ok) throw new Error(plan.error);
    expect(plan.effects.silences.map((s) => s.endsAtMs)).toEqual([
      NOW + DEFAULT_NOT_ANOMALY_SILENCE_MS,
      NOW + DEFAULT_NOT_ANOMALY_SILENCE_MS,
    ]);
    expect(plan.effects.feedback).toEqual([
      expect.objectContaining({
        verdict: 'not-an-anomaly',
        rule: 'spend-spike',
        labels: spike.labels,
        userId: 'U0ALICE01',
        userName: 'alice',
        atMs: NOW,
        reason: '',
        silenceId: plan.effects.silences[0]!.id,
      }),
      expect.objectContaining({ rule: 'verbose-output', silenceId: plan.effects.silences[1]!.id }),
    ]);
    const input = plan.effects.update.message.blocks.find((b) => b.type === 'input')!;
    expect(input).toMatchObject({
      block_id: `bc-reason:${plan.effects.feedback[0]!.interactionId}`,
      dispatch_action: true,
      element: { type: 'plain_text_input', action_id: ACTION_IDS.reason },
    });
  });

  it('a reason typed after Not an anomaly applies to that interaction and replaces the input', () => {
    const first = press(ACTION_IDS.notAnomaly);
    if (!first.ok) throw new Error(first.error);
    const interactionId = first.effects.feedback[0]!.interactionId;
    const body = blockActionsBody({
      channel: 'C0ALERTS1',
      ts: '1781000000.000001',
      message: first.effects.update.message,
      action: {
        action_id: ACTION_IDS.reason,
        type: 'plain_text_input',
        block_id: `bc-reason:${interactionId}`,
        value: '  planned load test <!here>  ',
      },
    });
    const parsed = parseInteractionBody(body);
    if (!parsed.ok) throw new Error(parsed.error);
    const plan = planInteraction(parsed.payload, { teamId: TEAM_ID }, NOW + 60_000);
    if (!plan.ok) throw new Error(plan.error);
    expect(plan.effects.reason).toEqual({ interactionId, text: 'planned load test <!here>' });
    expect(plan.effects.update.message.blocks.some((b) => b.type === 'input')).toBe(false);
    const lines = statusOf(plan);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(
      ':memo: Reason from <@U0ALICE01> at 2026-06-16 09:31 UTC: planned load test &lt;!here&gt;',
    );
  });

  it('refuses a payload from another workspace (403)', () => {
    expect(press(ACTION_IDS.acknowledge, { teamId: 'T0OTHER99' })).toEqual({
      ok: false,
      status: 403,
      error: 'payload from workspace T0OTHER99, not the configured one',
    });
  });

  it('refuses an unknown action (400) and a value we did not write (400)', () => {
    expect(press('bc_delete_everything')).toMatchObject({
      ok: false,
      status: 400,
      error: expect.stringContaining('unknown action'),
    });
    expect(press(ACTION_IDS.acknowledge, { value: '[1,[["cond-x","spend-spike",{}]]]' })).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(press(ACTION_IDS.reason, { blockId: 'bc-actions' })).toMatchObject({ ok: false, status: 400 });
  });

  it('parses only block_actions payloads on a channel message', () => {
    expect(parseInteractionBody('foo=bar')).toMatchObject({ ok: false, error: 'body has no payload= field' });
    expect(parseInteractionBody('payload=%7Bx')).toMatchObject({ ok: false, error: 'payload is not JSON' });
    expect(
      parseInteractionBody(
        new URLSearchParams({ payload: JSON.stringify({ type: 'view_submission' }) }).toString(),
      ),
    ).toMatchObject({ ok: false, error: 'unsupported payload type "view_submission"' });
  });
});
