import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  interactionStatePaths,
  LocalConditionAckStore,
  LocalFeedbackStore,
} from '../../src/adapters/local-fs/interaction-stores.js';
import { LocalSilenceStore, silenceStorePath } from '../../src/adapters/local-fs/silence-store.js';
import { ACTION_IDS } from '../../src/core/interactivity/actions.js';
import type { SlackMessage } from '../../src/core/render/slack-kit.js';
import { ensureBuilt, ROOT, runCliAsync } from '../helpers/cli.js';
import {
  blockActionsBody,
  buttonValue,
  postAlert,
  SIGNING_SECRET,
  signedHeaders,
  TEAM_ID,
} from '../helpers/slack-interaction.js';
import { type FakeSlackServer, startSlackServer } from '../helpers/slack-server.js';

const TOKEN = 'xoxb-interactivity-test-token';
const CHANNEL = 'C0ALERTS1';

/**
 * `bedrock-cost serve` as a user runs it, end to end: an alert posted to the loopback Slack server, a
 * signed button press posted to the served endpoint, the records in the local state store, the message
 * rewritten through chat.update.
 */
describe('bedrock-cost serve: Slack interactivity end to end', () => {
  let slack: FakeSlackServer;
  let store: string;
  let server: ChildProcess;
  let url: string;
  let stderr = '';

  const cliEnv = () => ({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_API_URL: slack.apiUrl,
    BEDROCK_COST_STORE: store,
  });

  function press(
    posted: { ts: string; message: SlackMessage },
    actionId: string,
    options: { teamId?: string; atSec?: number; secret?: string; action?: Record<string, string> } = {},
  ) {
    const body = blockActionsBody({
      channel: CHANNEL,
      ts: posted.ts,
      message: posted.message,
      ...(options.teamId ? { teamId: options.teamId } : {}),
      action: options.action
        ? { action_id: actionId, ...options.action }
        : { action_id: actionId, value: buttonValue(posted.message, ACTION_IDS.acknowledge) },
    });
    const headers = signedHeaders(body, options.atSec ?? Math.floor(Date.now() / 1000), options.secret);
    return { body, headers };
  }

  const send = (request: { body: string; headers: Record<string, string> }) =>
    fetch(url, { method: 'POST', headers: request.headers, body: request.body });

  beforeAll(async () => {
    ensureBuilt();
    slack = await startSlackServer({ token: TOKEN });
    store = mkdtempSync(join(tmpdir(), 'bc-serve-'));
    server = spawn(
      process.execPath,
      [join(ROOT, 'bin/bedrock-cost.js'), 'serve', '--port', '0', '--team-id', TEAM_ID],
      { cwd: ROOT, env: { ...process.env, ...cliEnv() } },
    );
    server.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/slack\/interactivity)/.exec(out);
        if (match) resolve(match[1]!);
      });
      server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.on('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    await slack?.close();
  });

  it('Acknowledge: records an ack per condition and rewrites the message; the same request again is refused', async () => {
    // Prepare
    const posted = await postAlert(slack, {
      token: TOKEN,
      channel: CHANNEL,
      workload: `wl-${slack.posted.length}`,
    });
    const request = press(posted, ACTION_IDS.acknowledge);
    // Act
    const first = await send(request);
    const replay = await send(request);
    // Assess
    expect(first.status).toBe(200);
    expect(replay.status).toBe(409);
    const acks = await new LocalConditionAckStore({ path: interactionStatePaths(store).acks }).list();
    expect(acks).toEqual([
      {
        conditionKey: JSON.parse(buttonValue(posted.message, ACTION_IDS.acknowledge))[1][0][0],
        acknowledgedBy: 'alice (Slack U0ALICE01)',
        acknowledgedAtMs: expect.any(Number),
      },
    ]);
    expect(slack.updated).toHaveLength(1);
    expect(slack.updated[0]!.token).toBe(TOKEN);
    expect(slack.updated[0]!.body).toMatchObject({ channel: CHANNEL, ts: posted.ts });
    const shown = JSON.stringify(slack.message(CHANNEL, posted.ts)!.blocks);
    expect(shown).toMatch(
      /:white_check_mark: \*Acknowledged\* by <@U0ALICE01> at \d{4}-\d\d-\d\d \d\d:\d\d UTC/,
    );
    expect(stderr).toContain('409 rejected: replayed request');
    expect(stderr).not.toContain(TOKEN);
    expect(stderr).not.toContain(SIGNING_SECRET);
  });

  it('refuses bad signatures, stale timestamps, other workspaces and unknown actions, writing nothing', async () => {
    const posted = await postAlert(slack, {
      token: TOKEN,
      channel: CHANNEL,
      workload: `wl-${slack.posted.length}`,
    });
    const updatesBefore = slack.updated.length;
    const acksBefore = (await new LocalConditionAckStore({ path: interactionStatePaths(store).acks }).list())
      .length;
    const statuses = [
      (await send(press(posted, ACTION_IDS.acknowledge, { secret: 'another-apps-secret' }))).status,
      (await send(press(posted, ACTION_IDS.acknowledge, { atSec: Math.floor(Date.now() / 1000) - 600 })))
        .status,
      (await send(press(posted, ACTION_IDS.acknowledge, { teamId: 'T0OTHER99' }))).status,
      (await send(press(posted, 'bc_escalate_to_ceo'))).status,
      (await fetch(url, { method: 'POST', body: 'payload=%7B%7D' })).status,
    ];
    expect(statuses).toEqual([401, 401, 403, 400, 401]);
    expect(slack.updated.length).toBe(updatesBefore);
    expect(
      (await new LocalConditionAckStore({ path: interactionStatePaths(store).acks }).list()).length,
    ).toBe(acksBefore);
    expect(await new LocalSilenceStore({ path: silenceStorePath(store) }).list()).toEqual([]);
  });

  it('Snooze 7 days: a silence on the condition, listed by `silence list`', async () => {
    const posted = await postAlert(slack, {
      token: TOKEN,
      channel: CHANNEL,
      workload: `wl-${slack.posted.length}`,
    });
    const response = await send(press(posted, ACTION_IDS.snooze7d));
    expect(response.status).toBe(200);
    const listed = await runCliAsync(['silence', 'list', '--format', 'json', '--store', store]);
    expect(listed.status).toBe(0);
    const silences = JSON.parse(listed.stdout) as { matchers: string; created_by: string; ends_at: string }[];
    expect(silences).toHaveLength(1);
    expect(silences[0]!.matchers).toContain(`workload="${posted.message.text.match(/wl-\d+/)![0]}"`);
    expect(silences[0]!.matchers).toContain('rule="spend-spike"');
    expect(silences[0]!.created_by).toBe('alice (Slack U0ALICE01)');
    const days = (Date.parse(silences[0]!.ends_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    expect(JSON.stringify(slack.message(CHANNEL, posted.ts)!.blocks)).toContain(
      '*Snoozed 7 days* by <@U0ALICE01>',
    );
  });

  it('Not an anomaly, then a reason: feedback listed by `feedback list` (json and csv)', async () => {
    const posted = await postAlert(slack, {
      token: TOKEN,
      channel: CHANNEL,
      workload: `wl-${slack.posted.length}`,
    });
    expect((await send(press(posted, ACTION_IDS.notAnomaly))).status).toBe(200);
    const after = slack.message(CHANNEL, posted.ts)!;
    const input = (after.blocks as { type: string; block_id: string }[]).find((b) => b.type === 'input')!;
    const updated = {
      ts: posted.ts,
      message: { text: String(after.text), blocks: after.blocks as SlackMessage['blocks'] },
    };
    const reason = press(updated, ACTION_IDS.reason, {
      action: {
        type: 'plain_text_input',
        block_id: input.block_id,
        value: 'monthly batch re-index, expected',
      },
    });
    expect((await send(reason)).status).toBe(200);

    const records = await new LocalFeedbackStore({ path: interactionStatePaths(store).feedback }).list();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ reason: 'monthly batch re-index, expected', userId: 'U0ALICE01' });
    const json = await runCliAsync(['feedback', 'list', '--format', 'json', '--store', store]);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({
        verdict: 'not-an-anomaly',
        rule: 'spend-spike',
        user_name: 'alice',
        reason: 'monthly batch re-index, expected',
        silence_id: records[0]!.silenceId,
      }),
    ]);
    const typo = await runCliAsync(['feedback', 'list', '--store', join(store, 'no-such-dir')]);
    expect(typo.status).toBe(1);
    expect(typo.stderr).toContain('no state at');
    const csv = await runCliAsync(['feedback', 'list', '--format', 'csv', '--store', store]);
    expect(csv.stdout.split('\n')[0]).toBe(
      'at,verdict,rule,workload,model,labels,by,reason,condition,silence',
    );
    expect(csv.stdout).toContain('monthly batch re-index');
    const shown = JSON.stringify(slack.message(CHANNEL, posted.ts)!.blocks);
    expect(shown).toContain('*Not an anomaly*: marked by <@U0ALICE01>');
    expect(shown).toContain('Reason from <@U0ALICE01>');
    expect(shown).not.toContain('"type":"input"');
  });
});
