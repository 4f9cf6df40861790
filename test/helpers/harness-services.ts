import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type LocalDynamo, startDynalite } from './dynalite.js';
import type { ObjectRef } from './lambda.js';
import { CUR_BUCKET, FACTS_BUCKET, type LocalS3, startS3rver } from './s3rver.js';
import { type FakeSecretsManager, startSecretsManagerServer } from './secrets-manager-server.js';
import { type FakeSlackServer, startSlackServer } from './slack-server.js';
import { type FakeSnsServer, startSnsServer } from './sns-server.js';
import { monthOfLines, type TinyLine } from './tiny-cur.js';

export const TOPIC_ARN = 'arn:aws:sns:us-east-1:111111111111:bedrock-cost-alerts';
export const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:bedrock-cost-slack-AbCdEf';
export const SLACK_TOKEN = 'xoxb-1111-2222-harnesstoken';
export const CONFIG_KEY = 'bedrock-cost/config/bedrock-cost.yaml';
export const ONCALL_CHANNEL = '#bedrock-oncall';

/**
 * Pages go to on-call (Slack + SNS); everything else to the console receiver (files in `consoleDir`, or
 * under the function's /tmp), so warnings never reach on-call. Partial quarters are reviewed too.
 */
export function pagingConfig(consoleDir?: string): string {
  return `
routes:
  receiver: findings-log
  routes:
    - matchers: ['severity="page"']
      receiver: oncall
receivers:
  - name: oncall
    slack: { channel: '${ONCALL_CHANNEL}' }
    sns: { topic_arn: ${TOPIC_ARN} }
  - name: findings-log
    console: ${consoleDir ? `{ dir: ${consoleDir} }` : '{}'}
review:
  send_partial_quarters: true
`;
}

/** Oct 1–13, $40 a day for two workloads; search spikes on the 11th (final once usage reaches the 14th). */
export function octoberLines(): TinyLine[] {
  return monthOfLines('2026-10', 13, { search: { 11: '400' }, 'support-bot': {} });
}

/** The loopback stand-ins for everything the functions call. */
export interface HarnessServices {
  s3: LocalS3;
  db: LocalDynamo;
  slack: FakeSlackServer;
  sns: FakeSnsServer;
  secrets: FakeSecretsManager;
  close(): Promise<void>;
}

export async function startHarnessServices(): Promise<HarnessServices> {
  const [s3, db, slack, sns, secrets] = await Promise.all([
    startS3rver(),
    startDynalite(),
    startSlackServer({ token: SLACK_TOKEN }),
    startSnsServer(),
    startSecretsManagerServer({ [SECRET_ARN]: `${SLACK_TOKEN}\n` }),
  ]);
  await s3.client.send(new PutObjectCommand({ Bucket: FACTS_BUCKET, Key: CONFIG_KEY, Body: pagingConfig() }));
  return {
    s3,
    db,
    slack,
    sns,
    secrets,
    close: async () => {
      await Promise.all([s3.close(), db.close(), slack.close(), sns.close(), secrets.close()]);
    },
  };
}

/**
 * The environment the CDK stack gives the functions (infra/lib/bedrock-cost-stack.ts), pointed at the
 * loopback servers through the SDK's standard endpoint variables. `factsRoot` and `tableName` let a
 * benchmark start each repetition from an empty store and ledger.
 */
export function harnessEnvironment(
  services: HarnessServices,
  exportUri: string,
  overrides: { factsRoot?: string; tableName?: string } = {},
): Record<string, string> {
  return {
    BEDROCK_COST_STORE: `s3://${FACTS_BUCKET}/${overrides.factsRoot ?? 'bedrock-cost'}`,
    BEDROCK_COST_CONFIG: `s3://${FACTS_BUCKET}/${CONFIG_KEY}`,
    BEDROCK_COST_STATE_TABLE: overrides.tableName ?? services.db.tableName,
    BEDROCK_COST_SNS_TOPIC_ARN: TOPIC_ARN,
    BEDROCK_COST_SLACK_SECRET_ARN: SECRET_ARN,
    BEDROCK_COST_SLACK_CHANNEL: '#finops',
    BEDROCK_COST_ENGINE: 'duckdb',
    BEDROCK_COST_CUR_EXPORT: exportUri,
    BEDROCK_COST_S3_ENDPOINT: services.s3.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: services.db.endpoint,
    AWS_ENDPOINT_URL_SNS: services.sns.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: services.secrets.endpoint,
    SLACK_API_URL: services.slack.apiUrl,
    // s3rver accepts only its own key pair (in Lambda: the role's temporary credentials).
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  };
}

/**
 * Uploads a CUR export directory (as `fixtures generate --bucket cur-bucket --prefix <prefix>` lays it out)
 * to the loopback CUR bucket, data files before manifests as AWS writes them; returns the manifests.
 */
export async function uploadExport(s3: LocalS3, exportDir: string, prefix: string): Promise<ObjectRef[]> {
  const files = (readdirSync(exportDir, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => f.endsWith('.parquet') || f.endsWith('.csv.gz') || f.endsWith('Manifest.json'))
    .sort((a, b) => Number(a.endsWith('Manifest.json')) - Number(b.endsWith('Manifest.json')));
  const manifests: ObjectRef[] = [];
  for (const file of files) {
    const key = `${prefix}/${relative(exportDir, join(exportDir, file))}`;
    const out = await s3.client.send(
      new PutObjectCommand({ Bucket: CUR_BUCKET, Key: key, Body: readFileSync(join(exportDir, file)) }),
    );
    if (file.endsWith('Manifest.json')) manifests.push({ bucket: CUR_BUCKET, key, etag: out.ETag ?? '' });
  }
  return manifests;
}
