import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DynamoDbConditionAckStore,
  DynamoDbFeedbackStore,
} from '../../src/adapters/dynamodb/interaction-stores.js';
import { DynamoDbSilenceStore } from '../../src/adapters/dynamodb/silence-store.js';
import { ACTION_IDS } from '../../src/core/interactivity/actions.js';
import type { HandlerLog } from '../../src/handlers/runtime/observability.js';
import {
  createSlackInteractivityHandler,
  type FunctionUrlEvent,
} from '../../src/handlers/slack-interactivity.js';
import { type LocalDynamo, startDynalite } from '../helpers/dynalite.js';
import { type FakeSecretsManager, startSecretsManagerServer } from '../helpers/secrets-manager-server.js';
import {
  blockActionsBody,
  buttonValue,
  postAlert,
  SIGNING_SECRET,
  signedHeaders,
  TEAM_ID,
} from '../helpers/slack-interaction.js';
import { type FakeSlackServer, startSlackServer } from '../helpers/slack-server.js';

const TOKEN = 'xoxb-lambda-interactivity-token';
const SIGNING_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:signing-AbCdEf';
const TOKEN_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:slack-AbCdEf';
const CHANNEL = 'C0ALERTS1';
const NOW = Date.parse('2026-06-16T09:30:00Z');
const NOW_SEC = NOW / 1000;

/** A Function URL event (payload format 2.0) as Lambda delivers a Slack POST: lower-case headers, base64 body. */
function urlEvent(body: string, headers: Record<string, string>, base64 = true): FunctionUrlEvent {
  return {
    headers: { ...headers, host: 'abc.lambda-url.us-east-1.on.aws', 'user-agent': 'Slackbot 1.0' },
    body: base64 ? Buffer.from(body, 'utf8').toString('base64') : body,
    isBase64Encoded: base64,
    requestContext: { http: { method: 'POST' } },
  };
}

describe('slack-interactivity handler (Function URL) on dynalite, Secrets Manager and Slack stand-ins', () => {
  let db: LocalDynamo;
  let secrets: FakeSecretsManager;
  let slack: FakeSlackServer;
  let handler: ReturnType<typeof createSlackInteractivityHandler>;
  const logged: { message: string; extra?: Record<string, unknown> }[] = [];
  const log: HandlerLog = {
    debug: () => undefined,
    info: (message, extra) => logged.push({ message, ...(extra ? { extra } : {}) }),
    warn: (message, extra) => logged.push({ message, ...(extra ? { extra } : {}) }),
    error: (message, extra) => logged.push({ message, ...(extra ? { extra } : {}) }),
  };

  beforeAll(async () => {
    [db, secrets, slack] = await Promise.all([
      startDynalite(),
      startSecretsManagerServer({ [SIGNING_ARN]: SIGNING_SECRET, [TOKEN_ARN]: `${TOKEN}\n` }),
      startSlackServer({ token: TOKEN }),
    ]);
    handler = createSlackInteractivityHandler({
      env: {
        BEDROCK_COST_STATE_TABLE: db.tableName,
        BEDROCK_COST_SLACK_SIGNING_SECRET_ARN: SIGNING_ARN,
        BEDROCK_COST_SLACK_SECRET_ARN: TOKEN_ARN,
        BEDROCK_COST_SLACK_TEAM_ID: TEAM_ID,
        SLACK_API_URL: slack.apiUrl,
        AWS_REGION: 'us-east-1',
      },
      dynamo: db.client,
      secretsManager: new SecretsManagerClient({
        endpoint: secrets.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      }),
      clock: () => new Date(NOW),
      log,
    });
  });
  afterAll(async () => {
    await Promise.all([db?.close(), secrets?.close(), slack?.close()]);
  });

  it('Acknowledge from a base64 body: ack in DynamoDB, message updated with the deployment token; replay refused', async () => {
    // Prepare
    const posted = await postAlert(slack, { token: TOKEN, channel: CHANNEL, workload: 'support-bot' });
    const body = blockActionsBody({
      channel: CHANNEL,
      ts: posted.ts,
      message: posted.message,
      action: {
        action_id: ACTION_IDS.acknowledge,
        value: buttonValue(posted.message, ACTION_IDS.acknowledge),
      },
    });
    const headers = signedHeaders(body, NOW_SEC);
    // Act
    const first = await handler(urlEvent(body, headers));
    const replay = await handler(urlEvent(body, headers, false));
    // Assess
    expect(first).toEqual({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: '' });
    expect(replay.statusCode).toBe(409);
    const acks = await new DynamoDbConditionAckStore({ client: db.client, tableName: db.tableName }).list();
    expect(acks).toEqual([
      {
        conditionKey: JSON.parse(buttonValue(posted.message, ACTION_IDS.acknowledge))[1][0][0],
        acknowledgedBy: 'alice (Slack U0ALICE01)',
        acknowledgedAtMs: NOW,
      },
    ]);
    expect(slack.updated).toHaveLength(1);
    expect(slack.updated[0]!.token).toBe(TOKEN);
    expect(JSON.stringify(slack.message(CHANNEL, posted.ts)!.blocks)).toContain(
      ':white_check_mark: *Acknowledged* by <@U0ALICE01> at 2026-06-16 09:30 UTC: no repeats while this condition fires.',
    );
    // The secrets were read once each and are cached for the next request.
    expect(secrets.requests.sort()).toEqual([SIGNING_ARN, TOKEN_ARN].sort());
    expect(JSON.stringify(logged)).not.toContain(TOKEN);
    expect(JSON.stringify(logged)).not.toContain(SIGNING_SECRET);
  });

  it('refuses an invalid signature, a stale request, another workspace and an unknown action', async () => {
    const posted = await postAlert(slack, { token: TOKEN, channel: CHANNEL, workload: 'search' });
    const make = (actionId: string, teamId?: string) =>
      blockActionsBody({
        channel: CHANNEL,
        ts: posted.ts,
        message: posted.message,
        ...(teamId ? { teamId } : {}),
        action: { action_id: actionId, value: buttonValue(posted.message, ACTION_IDS.acknowledge) },
      });
    const body = make(ACTION_IDS.snooze1d);
    const results = [
      await handler(urlEvent(body, signedHeaders(body, NOW_SEC, 'wrong-secret'))),
      await handler(urlEvent(body, signedHeaders(body, NOW_SEC - 301))),
      await handler(
        urlEvent(
          make(ACTION_IDS.snooze1d, 'T0OTHER99'),
          signedHeaders(make(ACTION_IDS.snooze1d, 'T0OTHER99'), NOW_SEC),
        ),
      ),
      await handler(urlEvent(make('bc_unknown'), signedHeaders(make('bc_unknown'), NOW_SEC))),
    ];
    expect(results.map((r) => r.statusCode)).toEqual([401, 401, 403, 400]);
    expect(await new DynamoDbSilenceStore({ client: db.client, tableName: db.tableName }).list()).toEqual([]);
  });

  it('Not an anomaly: a silence and a feedback record in the state table', async () => {
    const posted = await postAlert(slack, { token: TOKEN, channel: CHANNEL, workload: 'batch-indexer' });
    const body = blockActionsBody({
      channel: CHANNEL,
      ts: posted.ts,
      message: posted.message,
      action: { action_id: ACTION_IDS.notAnomaly, value: buttonValue(posted.message, ACTION_IDS.notAnomaly) },
    });
    const response = await handler(urlEvent(body, signedHeaders(body, NOW_SEC)));
    expect(response.statusCode).toBe(200);
    const silences = await new DynamoDbSilenceStore({ client: db.client, tableName: db.tableName }).list();
    const feedback = await new DynamoDbFeedbackStore({ client: db.client, tableName: db.tableName }).list();
    expect(silences).toHaveLength(1);
    expect(silences[0]!.matchers).toContainEqual({ name: 'workload', op: '=', value: 'batch-indexer' });
    expect(feedback).toEqual([
      expect.objectContaining({ rule: 'spend-spike', silenceId: silences[0]!.id, userId: 'U0ALICE01' }),
    ]);
  });

  it('a store failure answers 500 and logs a redacted reason', async () => {
    const broken = createSlackInteractivityHandler({
      env: {
        BEDROCK_COST_STATE_TABLE: 'no-such-table',
        BEDROCK_COST_SLACK_SIGNING_SECRET_ARN: SIGNING_ARN,
        BEDROCK_COST_SLACK_SECRET_ARN: TOKEN_ARN,
        BEDROCK_COST_SLACK_TEAM_ID: TEAM_ID,
      },
      dynamo: db.client,
      tokens: { token: async (ref) => (ref.includes('signing') ? SIGNING_SECRET : TOKEN) },
      clock: () => new Date(NOW),
      log,
    });
    const body = 'payload=%7B%7D';
    const response = await broken(urlEvent(body, signedHeaders(body, NOW_SEC)));
    expect(response.statusCode).toBe(500);
    expect(logged.at(-1)?.message).toBe('slack interaction failed');
  });

  it('names every bad environment variable at start', () => {
    expect(() => createSlackInteractivityHandler({ env: { BEDROCK_COST_SLACK_TEAM_ID: 'lower' } })).toThrow(
      /BEDROCK_COST_STATE_TABLE[\s\S]*BEDROCK_COST_SLACK_SIGNING_SECRET_ARN[\s\S]*BEDROCK_COST_SLACK_SECRET_ARN[\s\S]*BEDROCK_COST_SLACK_TEAM_ID/,
    );
  });
});
