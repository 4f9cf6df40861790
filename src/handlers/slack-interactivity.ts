import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  DynamoDbConditionAckStore,
  DynamoDbFeedbackStore,
  DynamoDbReplayGuard,
} from '../adapters/dynamodb/interaction-stores.js';
import { DynamoDbSilenceStore } from '../adapters/dynamodb/silence-store.js';
import { AwsTokenSource, type TokenSource } from '../adapters/secrets/secret-token-source.js';
import type { Clock, SendOutcome, SlackMessageUpdater } from '../app/ports/alerting.js';
import { handleSlackInteraction, type InteractivityDeps } from '../app/slack-interactivity.js';
import { parseDurationMs } from '../core/alerting/duration.js';
import { DEFAULT_SLACK_TOKEN_REF } from '../core/alerting/receivers.js';
import { ConfigError } from '../core/errors.js';
import { describeRedacted } from '../core/render/redact.js';
import type { SlackMessage } from '../core/render/slack-kit.js';
import { createLogger, type HandlerLog } from './runtime/observability.js';

interface InteractivityEnv {
  stateTable: string;
  signingSecretArn: string;
  tokenSecretArn: string;
  teamId: string;
  notAnomalySilenceMs: number | undefined;
  slackApiUrl: string | undefined;
  region: string;
}

/**
 * The environment the CDK stack gives this function, checked by hand rather than with the pipeline's zod
 * schema (HandlerEnvSchema): this function has no fact store, config or engine, and loading zod and the
 * config schema would double its cold start. Every bad variable is named at once.
 */
export function parseInteractivityEnv(env: Readonly<Record<string, string | undefined>>): InteractivityEnv {
  const problems: string[] = [];
  const value = (name: string, what: string, pattern?: RegExp): string => {
    const v = env[name]?.trim() ?? '';
    if (!v || (pattern && !pattern.test(v)))
      problems.push(`  ${name}: ${what}${v ? `, got "${v}"` : ' (unset)'}`);
    return v;
  };
  const optional = (name: string) => env[name]?.trim() || undefined;
  const stateTable = value('BEDROCK_COST_STATE_TABLE', 'the DynamoDB state table name');
  const signingSecretArn = value('BEDROCK_COST_SLACK_SIGNING_SECRET_ARN', 'the signing secret ARN');
  const tokenSecretArn = value('BEDROCK_COST_SLACK_SECRET_ARN', 'the Slack bot token secret ARN');
  const teamId = value(
    'BEDROCK_COST_SLACK_TEAM_ID',
    'a Slack workspace id such as T0123ABCD',
    /^[A-Z0-9]{2,32}$/,
  );
  const silence = optional('BEDROCK_COST_NOT_ANOMALY_SILENCE');
  const notAnomalySilenceMs = silence === undefined ? undefined : parseDurationMs(silence);
  if (notAnomalySilenceMs === null || (notAnomalySilenceMs !== undefined && notAnomalySilenceMs <= 0))
    problems.push(`  BEDROCK_COST_NOT_ANOMALY_SILENCE: a duration such as 30d, got "${silence}"`);
  const slackApiUrl = optional('SLACK_API_URL');
  if (slackApiUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(slackApiUrl))
    problems.push(`  SLACK_API_URL: an http(s) URL, got "${slackApiUrl}"`);
  if (problems.length > 0) throw new ConfigError(`invalid function environment\n${problems.join('\n')}`);
  return {
    stateTable,
    signingSecretArn,
    tokenSecretArn,
    teamId,
    notAnomalySilenceMs: notAnomalySilenceMs ?? undefined,
    slackApiUrl,
    region: optional('AWS_REGION') ?? 'us-east-1',
  };
}

/** The Function URL event (payload format 2.0): header names lower-case, the body maybe base64. */
export interface FunctionUrlEvent {
  headers?: Record<string, string | undefined> | undefined;
  body?: string | undefined;
  isBase64Encoded?: boolean | undefined;
  requestContext?: { http?: { method?: string | undefined } | undefined } | undefined;
}

export interface FunctionUrlResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface InteractivityHandlerOptions {
  env?: Readonly<Record<string, string | undefined>> | undefined;
  dynamo?: DynamoDBClient | undefined;
  secretsManager?: SecretsManagerClient | undefined;
  /** Instead of Secrets Manager (tests). */
  tokens?: TokenSource | undefined;
  clock?: Clock | undefined;
  log?: HandlerLog | undefined;
}

/**
 * Slack interactivity behind a Lambda Function URL (auth NONE: Slack cannot sign with SigV4; every
 * request is authenticated by the Slack signing secret instead, before anything is read or written).
 * Built once per cold start; the Slack Web API client is loaded only when a message is updated.
 */
export function createSlackInteractivityHandler(options: InteractivityHandlerOptions = {}) {
  const env = parseInteractivityEnv(options.env ?? process.env);
  const region = env.region;
  const log = options.log ?? createLogger();
  const dynamo = options.dynamo ?? new DynamoDBClient({ region });
  const table = { client: dynamo, tableName: env.stateTable };
  const tokens =
    options.tokens ??
    new AwsTokenSource({
      secretsManager: () => options.secretsManager ?? new SecretsManagerClient({ region }),
      // Both references are Secrets Manager ARNs: SSM is never called (nor its SDK loaded).
      ssm: () => {
        throw new ConfigError('the Slack interactivity function reads no SSM parameters');
      },
      defaultSecretId: env.tokenSecretArn,
    });
  const signingRef = `secretsmanager:${env.signingSecretArn}`;
  const deps: InteractivityDeps = {
    signingSecret: async () => {
      const secret = await tokens.token(signingRef);
      if (!secret) throw new ConfigError(`the signing secret ${env.signingSecretArn} is empty`);
      return secret;
    },
    settings: { teamId: env.teamId, notAnomalySilenceMs: env.notAnomalySilenceMs },
    acks: new DynamoDbConditionAckStore(table),
    silences: new DynamoDbSilenceStore(table),
    feedback: new DynamoDbFeedbackStore(table),
    replay: new DynamoDbReplayGuard(table),
    slack: lazyUpdater(tokens, env.slackApiUrl),
    clock: options.clock ?? (() => new Date()),
  };

  return async (event: FunctionUrlEvent): Promise<FunctionUrlResult> => {
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
    const raw = event.body ?? '';
    const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    try {
      const response = await handleSlackInteraction(
        { method: event.requestContext?.http?.method ?? 'POST', headers, body },
        deps,
      );
      const level = response.status === 200 && response.update?.status === 'delivered' ? 'info' : 'warn';
      log[level]('slack interaction', { status: response.status, outcome: response.outcome });
      return { statusCode: response.status, headers: { 'content-type': 'text/plain' }, body: response.body };
    } catch (error) {
      // A store or secret failure: Slack shows the user an error and they can press again.
      log.error('slack interaction failed', { error: describeRedacted(error) });
      return { statusCode: 500, headers: { 'content-type': 'text/plain' }, body: 'internal error' };
    }
  };
}

/** chat.update through the deployment's bot token; @slack/web-api is imported on first use only. */
function lazyUpdater(tokens: TokenSource, slackApiUrl: string | undefined): SlackMessageUpdater {
  let updater: Promise<SlackMessageUpdater> | undefined;
  return {
    async update(target: { channel: string; ts: string }, message: SlackMessage): Promise<SendOutcome> {
      updater ??= import('../adapters/slack/message-updater.js').then(
        ({ SlackChatUpdater }) =>
          new SlackChatUpdater({
            token: () => tokens.token(DEFAULT_SLACK_TOKEN_REF),
            tokenRef: DEFAULT_SLACK_TOKEN_REF,
            slackApiUrl,
          }),
      );
      return (await updater).update(target, message);
    },
  };
}

let cached: ReturnType<typeof createSlackInteractivityHandler> | undefined;

/** The Lambda entry point; the environment is read on the first invocation, not at import. */
export const handler = (event: FunctionUrlEvent): Promise<FunctionUrlResult> => {
  cached ??= createSlackInteractivityHandler();
  return cached(event);
};
