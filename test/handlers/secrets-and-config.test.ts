import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFrom } from '../../src/adapters/secrets/config-source.js';
import { AwsTokenSource, SecretError } from '../../src/adapters/secrets/secret-token-source.js';
import { TtlCache } from '../../src/adapters/secrets/ttl-cache.js';
import { ConfigError } from '../../src/core/errors.js';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:bedrock-cost-slack-AbCdEf';
const TOKEN = 'xoxb-9999-secret-token-value';

const secrets = new SecretsManagerClient({ region: 'us-east-1' });
const ssm = new SSMClient({ region: 'us-east-1' });
const s3 = new S3Client({ region: 'us-east-1' });
const secretsMock = mockClient(secrets);
const ssmMock = mockClient(ssm);
const s3Mock = mockClient(s3);

afterEach(() => {
  secretsMock.reset();
  ssmMock.reset();
  s3Mock.reset();
});
afterAll(() => {
  secretsMock.restore();
  ssmMock.restore();
  s3Mock.restore();
});

function tokenSource(
  options: { defaultSecretId?: string; env?: Record<string, string>; nowMs?: () => number } = {},
) {
  return new AwsTokenSource({ secretsManager: () => secrets, ssm: () => ssm, ttlMs: 60_000, ...options });
}

describe('AwsTokenSource', () => {
  it('resolves the default SLACK_BOT_TOKEN reference to the deployment secret, cached until the TTL', async () => {
    // Prepare
    let now = 0;
    secretsMock.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: ` ${TOKEN}\n` });
    const source = tokenSource({
      defaultSecretId: SECRET_ARN,
      env: { SLACK_BOT_TOKEN: 'from-env' },
      nowMs: () => now,
    });

    // Act
    const first = await Promise.all([source.token('SLACK_BOT_TOKEN'), source.token('SLACK_BOT_TOKEN')]);
    now = 59_999;
    await source.token('SLACK_BOT_TOKEN');
    now = 60_000;
    await source.token('SLACK_BOT_TOKEN');

    // Assert
    expect(first).toEqual([TOKEN, TOKEN]);
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('reads environment variables only when no deployment secret is configured (local runs)', async () => {
    const source = tokenSource({ env: { SLACK_BOT_TOKEN: 'xoxb-local' } });
    expect(await source.token('SLACK_BOT_TOKEN')).toBe('xoxb-local');
    expect(await source.token('OTHER_TOKEN')).toBeUndefined();
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('follows secretsmanager:, secret ARN and ssm: references', async () => {
    // Prepare
    secretsMock.on(GetSecretValueCommand, { SecretId: 'team/slack' }).resolves({ SecretString: 'xoxb-team' });
    secretsMock.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: 'xoxb-arn' });
    ssmMock
      .on(GetParameterCommand, { Name: '/bedrock-cost/slack', WithDecryption: true })
      .resolves({ Parameter: { Value: 'xoxb-ssm' } });
    const source = tokenSource();

    // Act / Assert
    expect(await source.token('secretsmanager:team/slack')).toBe('xoxb-team');
    expect(await source.token(SECRET_ARN)).toBe('xoxb-arn');
    expect(await source.token('ssm:/bedrock-cost/slack')).toBe('xoxb-ssm');
  });

  it('fails with the secret named, never its value, and does not cache the failure', async () => {
    // Prepare
    secretsMock
      .on(GetSecretValueCommand)
      .rejectsOnce(
        new ResourceNotFoundException({
          message: "Secrets Manager can't find the specified secret.",
          $metadata: { httpStatusCode: 400 },
        }),
      )
      .resolves({ SecretString: TOKEN });
    const source = tokenSource({ defaultSecretId: SECRET_ARN });

    // Act
    const failure = await source.token('SLACK_BOT_TOKEN').catch((e: unknown) => e);
    const retried = await source.token('SLACK_BOT_TOKEN');

    // Assert
    expect(failure).toBeInstanceOf(SecretError);
    expect((failure as SecretError).message).toContain(SECRET_ARN);
    expect((failure as SecretError).retryable).toBe(false);
    expect(retried).toBe(TOKEN);
  });
});

describe('TtlCache', () => {
  it('shares one load between concurrent callers', async () => {
    let loads = 0;
    const cache = new TtlCache<number>(1_000, () => 0);
    const values = await Promise.all([1, 2, 3].map(() => cache.get('k', async () => ++loads)));
    expect(values).toEqual([1, 1, 1]);
  });
});

describe('loadConfigFrom', () => {
  let dir: string;
  const yaml =
    "routes:\n  receiver: oncall\nreceivers:\n  - name: oncall\n    slack: { channel: '#oncall' }\n";

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bedrock-cost-config-'));
    await writeFile(join(dir, 'bedrock-cost.yaml'), yaml);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const clients = { s3: () => s3, ssm: () => ssm };

  it('reads s3://, ssm: and a bundled path; nothing configured means the defaults', async () => {
    // Prepare
    s3Mock
      .on(GetObjectCommand, { Bucket: 'facts-bucket', Key: 'bedrock-cost/config/bedrock-cost.yaml' })
      .resolves({ Body: { transformToString: async () => yaml } as never });
    ssmMock
      .on(GetParameterCommand, { Name: '/bedrock-cost/config' })
      .resolves({ Parameter: { Value: yaml } });

    // Act
    const fromS3 = await loadConfigFrom('s3://facts-bucket/bedrock-cost/config/bedrock-cost.yaml', clients);
    const fromSsm = await loadConfigFrom('ssm:/bedrock-cost/config', clients);
    const bundled = await loadConfigFrom('bedrock-cost.yaml', clients, dir);
    const defaults = await loadConfigFrom(undefined, clients);

    // Assert
    for (const loaded of [fromS3, fromSsm, bundled]) expect(loaded.config.routes.receiver).toBe('oncall');
    expect(bundled.source).toBe(join(dir, 'bedrock-cost.yaml'));
    expect(defaults.config.receivers[0]?.name).toBe('console');
  });

  it('says where to put a config that is not there, and names the key path of an invalid one', async () => {
    // Prepare
    s3Mock
      .on(GetObjectCommand)
      .rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }));
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: 'routes:\n  receiver: nobody\n' } });

    // Act
    const missing = await loadConfigFrom('s3://facts-bucket/none.yaml', clients).catch((e: unknown) => e);
    const invalid = await loadConfigFrom('ssm:/bad', clients).catch((e: unknown) => e);

    // Assert
    expect(missing).toBeInstanceOf(ConfigError);
    expect(String(missing)).toContain(
      's3://facts-bucket/none.yaml: cannot read config from S3: no such object',
    );
    expect(invalid).toBeInstanceOf(ConfigError);
    expect(String(invalid)).toContain('ssm:/bad: invalid config');
    expect(String(invalid)).toContain('receiver "nobody" is not defined');
  });
});
