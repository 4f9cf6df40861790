import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ATHENA_RESULTS_PREFIX,
  FACTS_TABLE_NAME,
  METRICS_NAMESPACE,
  SERVICE_NAME,
  STATE_TABLE_PARTITION_KEY,
  STATE_TABLE_TTL_ATTRIBUTE,
} from '../../infra/lib/bedrock-cost-stack.js';
import { missingHandlers } from '../../infra/lib/lambda-package.js';
import {
  STATE_TABLE_PARTITION_KEY as ADAPTER_PARTITION_KEY,
  STATE_TABLE_TTL_ATTRIBUTE as ADAPTER_TTL_ATTRIBUTE,
} from '../../src/adapters/dynamodb/notification-log.js';
import { FACT_COLUMNS } from '../../src/core/facts/fact-schema.js';
import {
  buildStack,
  type CfnTemplate,
  CUR_BUCKET,
  fakeLambdaPackage,
  logicalId,
  render,
  rendered,
  type Synthesized,
  synth,
  testSettings,
} from './helpers.js';

let base: Synthesized;
beforeAll(() => {
  base = synth();
});

const resourcesOfType = (json: CfnTemplate, type: string) =>
  Object.entries(json.Resources).filter(([, r]) => r.Type === type);

function typeCounts(json: CfnTemplate): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of Object.values(json.Resources)) counts[r.Type] = (counts[r.Type] ?? 0) + 1;
  return counts;
}

/** The default stack, resource type by resource type. A new resource must be added here on purpose. */
const DEFAULT_RESOURCES: Record<string, number> = {
  'AWS::Athena::WorkGroup': 1,
  'AWS::CloudWatch::Alarm': 7,
  'AWS::DynamoDB::Table': 1,
  'AWS::Events::Rule': 1,
  'AWS::Glue::Database': 1,
  'AWS::Glue::Table': 1,
  'AWS::IAM::ManagedPolicy': 1,
  // 4 function roles + 3 EventBridge Scheduler target roles + CDK's bucket-notifications handler
  'AWS::IAM::Policy': 8,
  'AWS::IAM::Role': 8,
  'AWS::KMS::Alias': 1,
  'AWS::KMS::Key': 1,
  'AWS::Lambda::EventSourceMapping': 1,
  // cur-delivery, weekly-digest, quarterly-review, early-warning + CDK's bucket-notifications handler (inline Python)
  'AWS::Lambda::Function': 5,
  'AWS::Logs::LogGroup': 4,
  'AWS::S3::Bucket': 2,
  'AWS::S3::BucketPolicy': 2,
  'AWS::SNS::Topic': 1,
  'AWS::SNS::TopicPolicy': 1,
  'AWS::SQS::Queue': 3,
  'AWS::SQS::QueuePolicy': 3,
  'AWS::Scheduler::Schedule': 3,
  'AWS::SecretsManager::Secret': 1,
  'Custom::S3BucketNotifications': 1,
};

describe('resources', () => {
  it('has exactly the expected resource types and counts', () => {
    expect(typeCounts(base.json)).toEqual(DEFAULT_RESOURCES);
    for (const [type, count] of Object.entries(DEFAULT_RESOURCES)) base.template.resourceCountIs(type, count);
  });

  it('adds only an e-mail subscription for alertEmail', () => {
    const { json, template } = synth(testSettings({ alertEmail: 'oncall@example.com' }));
    expect(typeCounts(json)).toEqual({ ...DEFAULT_RESOURCES, 'AWS::SNS::Subscription': 1 });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
    });
  });

  it('drops the notifications custom resource when the CUR bucket EventBridge flag is managed elsewhere', () => {
    const { json } = synth(testSettings({ cur: { ...testSettings().cur, manageEventBridge: false } }));
    expect(typeCounts(json)).toEqual({
      ...DEFAULT_RESOURCES,
      'AWS::Lambda::Function': 4,
      'AWS::IAM::Role': 7,
      'AWS::IAM::Policy': 7,
      'Custom::S3BucketNotifications': undefined,
    });
  });
});

describe('Lambda functions', () => {
  const expected = [
    ['curDeliveryFunction', 'cur-delivery', 2048, 900, 10240],
    ['weeklyDigestFunction', 'weekly-digest', 1024, 300, 2048],
    ['quarterlyReviewFunction', 'quarterly-review', 1024, 600, 2048],
    ['earlyWarningFunction', 'early-warning', 1024, 300, 2048],
  ] as const;

  it.each(expected)(
    '%s: nodejs22.x on arm64, sized, own role and log group',
    (prop, name, memory, timeout, tmp) => {
      const { stack, json } = base;
      const fn = json.Resources[logicalId(stack, stack[prop])]!;
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: `dist/handlers/${name}.handler`,
        MemorySize: memory,
        Timeout: timeout,
        EphemeralStorage: { Size: tmp },
        Role: { 'Fn::GetAtt': [logicalId(stack, stack[prop].role!), 'Arn'] },
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
      });
      expect(fn.Properties?.ReservedConcurrentExecutions).toBeUndefined();
    },
  );

  it('gives every function the store, state table, topic, secret and Powertools settings', () => {
    const { stack, json } = base;
    for (const prop of [
      'curDeliveryFunction',
      'weeklyDigestFunction',
      'quarterlyReviewFunction',
      'earlyWarningFunction',
    ] as const) {
      const env = (
        json.Resources[logicalId(stack, stack[prop])]!.Properties!.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
      const text = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, render(v)]));
      expect(text).toMatchObject({
        BEDROCK_COST_STORE: `s3://${rendered(stack, stack.factsBucket.bucketName)}/bedrock-cost`,
        BEDROCK_COST_CONFIG: `s3://${rendered(stack, stack.factsBucket.bucketName)}/bedrock-cost/config/bedrock-cost.yaml`,
        BEDROCK_COST_STATE_TABLE: rendered(stack, stack.stateTable.tableName),
        BEDROCK_COST_SNS_TOPIC_ARN: rendered(stack, stack.alertTopic.topicArn),
        BEDROCK_COST_SLACK_SECRET_ARN: rendered(stack, stack.slackSecret.secretArn),
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        HOME: '/tmp',
      });
      expect(JSON.stringify(env)).not.toMatch(/xox[abp]-/);
    }
    const curEnv = render(
      (
        json.Resources[logicalId(stack, stack.curDeliveryFunction)]!.Properties!.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables.BEDROCK_COST_CUR_EXPORT,
    );
    expect(curEnv).toBe(`s3://${CUR_BUCKET}/cur/bedrock-cost-cur2`);
  });

  it('consumes the ingest queue one delivery at a time, at most 2 in parallel, with partial batch failures', () => {
    const { stack, template } = base;
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(stack, stack.ingestQueue), 'Arn'] },
      FunctionName: { Ref: logicalId(stack, stack.curDeliveryFunction) },
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 2 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('refuses a package directory without the handlers unless told this is an offline synth', () => {
    const empty = fakeLambdaPackage(false);
    expect(missingHandlers(empty)).toEqual([
      'dist/handlers/cur-delivery.js',
      'dist/handlers/weekly-digest.js',
      'dist/handlers/quarterly-review.js',
      'dist/handlers/early-warning.js',
      'dist/handlers/slack-interactivity.js',
    ]);
    expect(() => buildStack(testSettings({ lambdaPackageDir: empty }))).toThrow(/run make package/);
    const stack = buildStack(testSettings({ lambdaPackageDir: empty, allowUnpackagedCode: true }));
    Annotations.fromStack(stack).hasWarning(
      '*',
      Match.stringLikeRegexp('lacks dist/handlers/cur-delivery\\.js'),
    );
    expect(() => buildStack(testSettings({ lambdaPackageDir: '/nonexistent/bedrock-cost' }))).toThrow(
      /does not exist/,
    );
  });
});

describe('function architecture', () => {
  it('runs the functions on the architecture the package is built for (-c lambdaArchitecture)', () => {
    const x86 = synth(
      testSettings({ lambdaPackageDir: fakeLambdaPackage(true, 'x86_64'), lambdaArchitecture: 'x86_64' }),
    );
    // The service's four functions (CDK adds its own custom-resource providers beside them).
    const ours = (t: typeof x86.template) =>
      Object.values(t.findResources('AWS::Lambda::Function')).filter((fn) =>
        String(fn.Properties.Handler).startsWith('dist/handlers/'),
      );
    expect(ours(x86.template)).toHaveLength(4);
    for (const fn of ours(x86.template)) {
      expect(fn.Properties).toMatchObject({ Architectures: ['x86_64'], Runtime: 'nodejs22.x' });
    }
    expect(ours(base.template).map((fn) => fn.Properties.Architectures)).toEqual([
      ['arm64'],
      ['arm64'],
      ['arm64'],
      ['arm64'],
    ]);
  });

  it("fails synth when the package on disk holds the other architecture's DuckDB binding", () => {
    expect(() => buildStack(testSettings({ lambdaPackageDir: fakeLambdaPackage(true, 'x86_64') }))).toThrow(
      /is built for x86_64 \(node_modules\/@duckdb\/node-bindings-linux-x64\/duckdb\.node\), but the functions are arm64: run make package ARCH=arm64, or synth with -c lambdaArchitecture=x86_64/,
    );
    expect(() => buildStack(testSettings({ lambdaArchitecture: 'x86_64' }))).toThrow(
      /is built for arm64 .* run make package ARCH=x64/,
    );
  });

  it('fails synth when the package has handlers but no DuckDB binding', () => {
    const dir = fakeLambdaPackage(true, 'arm64');
    const bare = mkdtempSync(join(tmpdir(), 'bedrock-cost-bare-'));
    cpSync(join(dir, 'dist'), join(bare, 'dist'), { recursive: true });
    expect(() => buildStack(testSettings({ lambdaPackageDir: bare }))).toThrow(
      /holds no DuckDB native binding/,
    );
  });
});

describe('queues', () => {
  it('redrives the ingest queue to the DLQ after 5 receives, with a visibility timeout of 6× the function timeout', () => {
    const { stack, json } = base;
    expect(json.Resources[logicalId(stack, stack.ingestQueue)]!.Properties).toMatchObject({
      VisibilityTimeout: 5400,
      MessageRetentionPeriod: 4 * 86400,
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(stack, stack.ingestDlq), 'Arn'] },
        maxReceiveCount: 5,
      },
    });
  });

  it('keeps DLQ messages 14 days (longer than the source queue) and encrypts every queue', () => {
    const { stack, json } = base;
    for (const q of [stack.ingestDlq, stack.scheduleDlq]) {
      expect(json.Resources[logicalId(stack, q)]!.Properties).toMatchObject({
        MessageRetentionPeriod: 14 * 86400,
        SqsManagedSseEnabled: true,
      });
    }
    base.template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });

  it('denies non-TLS access on every queue', () => {
    for (const [, policy] of resourcesOfType(base.json, 'AWS::SQS::QueuePolicy')) {
      expect((policy.Properties!.PolicyDocument as { Statement: unknown[] }).Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sqs:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });
});

describe('CUR events: S3 → EventBridge → SQS', () => {
  it('turns on EventBridge delivery on the existing CUR bucket by merging, not replacing, its configuration', () => {
    base.template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: CUR_BUCKET,
      NotificationConfiguration: { EventBridgeConfiguration: {} },
      Managed: false,
    });
    const config = resourcesOfType(base.json, 'Custom::S3BucketNotifications')[0]![1].Properties!
      .NotificationConfiguration as Record<string, unknown>;
    expect(Object.keys(config)).toEqual(['EventBridgeConfiguration']);
  });

  it('matches only Object Created manifests of the export, into the ingest queue, failures to the DLQ', () => {
    const { stack, template } = base;
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          bucket: { name: [CUR_BUCKET] },
          object: { key: [{ wildcard: 'cur/bedrock-cost-cur2/*-Manifest.json' }] },
        },
      },
      State: 'ENABLED',
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [logicalId(stack, stack.ingestQueue), 'Arn'] },
          Id: Match.anyValue(),
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(stack, stack.ingestDlq), 'Arn'] } },
          RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
        },
      ],
    });
  });

  it('lets only this rule send to the ingest queue and its DLQ', () => {
    const { stack, json } = base;
    const ruleArn = { 'Fn::GetAtt': [logicalId(stack, stack.curManifestRule), 'Arn'] };
    for (const [, policy] of resourcesOfType(json, 'AWS::SQS::QueuePolicy')) {
      for (const s of (policy.Properties!.PolicyDocument as { Statement: Record<string, unknown>[] })
        .Statement) {
        if (s.Effect !== 'Allow') continue;
        expect(s.Principal).toEqual({ Service: 'events.amazonaws.com' });
        expect(s.Condition).toEqual({ ArnEquals: { 'aws:SourceArn': ruleArn } });
      }
    }
  });

  it('scopes the notifications handler to the CUR bucket configuration (not its objects)', () => {
    const { json } = base;
    const [, policy] = resourcesOfType(json, 'AWS::IAM::Policy').find(([id]) =>
      id.startsWith('CurBucketNotificationsHandlerPolicy'),
    )!;
    const statements = (policy.Properties!.PolicyDocument as { Statement: Record<string, unknown>[] })
      .Statement;
    expect(statements.map((s) => [s.Action, render(s.Resource)])).toEqual([
      ['s3:PutBucketNotification', 'arn:{{AWS::Partition}}:s3:::example-cur-bucket'],
      ['s3:GetBucketNotification', 'arn:{{AWS::Partition}}:s3:::example-cur-bucket'],
    ]);
  });
});

describe('state table', () => {
  it('is on-demand, with TTL, point-in-time recovery and deletion protection, keyed as the adapters expect', () => {
    expect(STATE_TABLE_PARTITION_KEY).toBe(ADAPTER_PARTITION_KEY);
    expect(STATE_TABLE_TTL_ATTRIBUTE).toBe(ADAPTER_TTL_ATTRIBUTE);
    base.template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        TimeToLiveSpecification: { AttributeName: 'expiresAtEpochSec', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });
});

describe('buckets', () => {
  it('encrypts, blocks public access, enforces bucket ownership and is retained, for both buckets', () => {
    const buckets = resourcesOfType(base.json, 'AWS::S3::Bucket');
    expect(buckets).toHaveLength(2);
    base.template.allResources('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    base.template.allResourcesProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  it('versions the facts bucket and expires replaced snapshots after 30 days', () => {
    const { stack, json } = base;
    expect(json.Resources[logicalId(stack, stack.factsBucket)]!.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'expire-replaced-snapshots',
            Status: 'Enabled',
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            ExpiredObjectDeleteMarker: true,
          },
        ],
      },
    });
  });

  it('expires Athena query results after 7 days', () => {
    const { stack, json } = base;
    expect(json.Resources[logicalId(stack, stack.athenaResultsBucket)]!.Properties).toMatchObject({
      LifecycleConfiguration: {
        Rules: [{ Id: 'expire-query-results', Status: 'Enabled', ExpirationInDays: 7 }],
      },
    });
  });

  it('denies non-TLS and TLS < 1.2 access on both buckets, and allows nobody through the bucket policy', () => {
    for (const [, policy] of resourcesOfType(base.json, 'AWS::S3::BucketPolicy')) {
      const statements = (policy.Properties!.PolicyDocument as { Statement: Record<string, unknown>[] })
        .Statement;
      expect(statements.every((s) => s.Effect === 'Deny')).toBe(true);
      expect(statements).toContainEqual(
        expect.objectContaining({ Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
      expect(statements).toContainEqual(
        expect.objectContaining({ Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
      );
    }
  });
});

describe('alert topic, key and secret', () => {
  it('encrypts the topic with a rotating customer managed key', () => {
    const { stack, template } = base;
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalId(stack, stack.alertTopicKey), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/bedrock-cost-alerts' });
  });

  it('lets only CloudWatch alarms of this stack and account publish, over TLS', () => {
    const [, policy] = resourcesOfType(base.json, 'AWS::SNS::TopicPolicy')[0]!;
    const statements = (policy.Properties!.PolicyDocument as { Statement: Record<string, unknown>[] })
      .Statement;
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Condition: {
        ArnLike: { 'aws:SourceArn': expect.anything() },
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      },
    });
    expect(
      render((allows[0]!.Condition as Record<string, Record<string, unknown>>).ArnLike!['aws:SourceArn']),
    ).toBe('arn:{{AWS::Partition}}:cloudwatch:{{AWS::Region}}:{{AWS::AccountId}}:alarm:BedrockCost-*');
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('key policy: account administers and delegates use to IAM; CloudWatch may encrypt for the topic; nothing else', () => {
    const [, key] = resourcesOfType(base.json, 'AWS::KMS::Key')[0]!;
    const statements = (key.Properties!.KeyPolicy as { Statement: Record<string, unknown>[] }).Statement;
    expect(
      statements.map((s) => [
        s.Sid,
        render(
          (s.Principal as Record<string, unknown>).AWS ?? (s.Principal as Record<string, unknown>).Service,
        ),
      ]),
    ).toEqual([
      ['AccountAdministersKey', 'arn:{{AWS::Partition}}:iam::{{AWS::AccountId}}:root'],
      ['AccountDelegatesKeyUseToIam', 'arn:{{AWS::Partition}}:iam::{{AWS::AccountId}}:root'],
      ['CloudWatchAlarmsEncryptForTopic', 'cloudwatch.amazonaws.com'],
    ]);
    const admin = statements[0]!.Action as string[];
    for (const dataAction of [
      'kms:Decrypt',
      'kms:Encrypt',
      'kms:GenerateDataKey',
      'kms:ReEncryptFrom',
      'kms:CreateGrant',
    ]) {
      expect(admin).not.toContain(dataAction);
    }
    expect(statements[1]!.Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
    expect(statements[2]!.Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
  });

  it('creates the Slack secret with a generated placeholder: no secret value in the template', () => {
    base.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({}),
      SecretString: Match.absent(),
    });
    expect(JSON.stringify(base.json)).not.toMatch(/xox[abp]-[A-Za-z0-9]/);
  });
});

describe('schedules', () => {
  it.each([
    ['weeklyDigestFunction', 'cron(0 8 ? * WED *)'],
    ['quarterlyReviewFunction', 'cron(0 9 15 JAN,APR,JUL,OCT ? *)'],
    ['earlyWarningFunction', 'cron(5 * * * ? *)'],
  ] as const)('%s runs on %s (UTC) with retries and a DLQ', (prop, expression) => {
    const { stack, template } = base;
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: expression,
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [logicalId(stack, stack[prop]), 'Arn'] },
        RoleArn: Match.anyValue(),
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(stack, stack.scheduleDlq), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 },
      },
    });
  });

  it('takes expressions and time zone from the settings', () => {
    const { template } = synth(
      testSettings({ weeklyDigestSchedule: 'cron(30 6 ? * MON *)', scheduleTimeZone: 'Europe/Berlin' }),
    );
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 6 ? * MON *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
    });
  });

  it('scheduler roles may only invoke their function and write the schedule DLQ', () => {
    const { stack, json } = base;
    const roles = resourcesOfType(json, 'AWS::IAM::Role').filter(([, r]) =>
      JSON.stringify(r.Properties!.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'),
    );
    expect(roles).toHaveLength(3);
    const dlqArn = `{{${logicalId(stack, stack.scheduleDlq)}.Arn}}`;
    const invoked: string[] = [];
    for (const [id] of roles) {
      const statements = resourcesOfType(json, 'AWS::IAM::Policy')
        .filter(([, p]) => render((p.Properties!.Roles as unknown[])[0]) === `{{${id}}}`)
        .flatMap(
          ([, p]) => (p.Properties!.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
        );
      expect(statements.map((s) => s.Action).sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
      const invoke = statements.find((s) => s.Action === 'lambda:InvokeFunction')!;
      const [fnArn, versions] = (invoke.Resource as unknown[]).map(render);
      expect(versions).toBe(`${fnArn}:*`);
      invoked.push(fnArn!);
      expect(render(statements.find((s) => s.Action === 'sqs:SendMessage')!.Resource)).toBe(dlqArn);
    }
    expect(invoked.sort()).toEqual(
      [
        `{{${logicalId(stack, stack.quarterlyReviewFunction)}.Arn}}`,
        `{{${logicalId(stack, stack.weeklyDigestFunction)}.Arn}}`,
        `{{${logicalId(stack, stack.earlyWarningFunction)}.Arn}}`,
      ].sort(),
    );
  });
});

describe('Glue and Athena', () => {
  it('declares the facts table over <root>/facts/, partitioned by billing_period, money as DECIMAL(38,15)', () => {
    const { stack, json, template } = base;
    template.hasResourceProperties('AWS::Glue::Database', {
      CatalogId: { Ref: 'AWS::AccountId' },
      DatabaseInput: { Name: 'bedrock_cost' },
    });
    const [, table] = resourcesOfType(json, 'AWS::Glue::Table')[0]!;
    const input = table.Properties!.TableInput as {
      Name: string;
      TableType: string;
      PartitionKeys: { Name: string; Type: string }[];
      Parameters: Record<string, unknown>;
      StorageDescriptor: { Location: unknown; Columns: { Name: string; Type: string }[]; SerdeInfo: unknown };
    };
    expect(table.Properties!.DatabaseName).toBe('bedrock_cost');
    expect(input.Name).toBe(FACTS_TABLE_NAME);
    expect(input.TableType).toBe('EXTERNAL_TABLE');
    expect(input.PartitionKeys).toEqual([{ Name: 'billing_period', Type: 'string' }]);
    const bucket = rendered(stack, stack.factsBucket.bucketName);
    expect(render(input.StorageDescriptor.Location)).toBe(`s3://${bucket}/bedrock-cost/facts/`);
    expect(input.StorageDescriptor.SerdeInfo).toEqual({
      SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    });

    const columns = Object.fromEntries(input.StorageDescriptor.Columns.map((c) => [c.Name, c.Type]));
    for (const money of ['cost_unblended', 'cost_net', 'usage_amount']) {
      expect(columns[money]?.toUpperCase()).toBe('DECIMAL(38,15)');
    }
    expect(columns.tokens).toBe('bigint');
    expect(columns.line_items).toBe('int');
    expect(columns.billing_period).toBeUndefined();
    // Same columns, same order as the code writes them (minus the partition column).
    expect(input.StorageDescriptor.Columns.map((c) => c.Name)).toEqual(
      FACT_COLUMNS.map((c) => c.name).filter((n) => n !== 'billing_period'),
    );

    expect(input.Parameters).toMatchObject({
      classification: 'parquet',
      'projection.enabled': 'true',
      'projection.billing_period.type': 'date',
      'projection.billing_period.format': 'yyyy-MM',
      'projection.billing_period.interval.unit': 'MONTHS',
    });
    expect(render(input.Parameters['storage.location.template'])).toBe(
      `s3://${bucket}/bedrock-cost/facts/billing_period=\${billing_period}/`,
    );
  });

  it('enforces the workgroup result location, encryption and bytes-scanned cutoff', () => {
    const { stack, json } = base;
    const [, wg] = resourcesOfType(json, 'AWS::Athena::WorkGroup')[0]!;
    expect(wg.Properties).toMatchObject({
      Name: 'bedrock-cost',
      State: 'ENABLED',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 100 * 1024 ** 3,
        PublishCloudWatchMetricsEnabled: true,
        ResultConfiguration: {
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
          ExpectedBucketOwner: { Ref: 'AWS::AccountId' },
        },
      },
    });
    const output = (
      wg.Properties!.WorkGroupConfiguration as { ResultConfiguration: { OutputLocation: unknown } }
    ).ResultConfiguration.OutputLocation;
    expect(render(output)).toBe(
      `s3://${rendered(stack, stack.athenaResultsBucket.bucketName)}/${ATHENA_RESULTS_PREFIX}/`,
    );
  });

  it('takes the cutoff from the settings', () => {
    synth(testSettings({ athenaBytesScannedCutoff: 10_000_000 })).template.hasResourceProperties(
      'AWS::Athena::WorkGroup',
      { WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 10_000_000 }) },
    );
  });
});

describe('alarms', () => {
  const alarmFor = (json: CfnTemplate, metricName: string, namespace: string) =>
    resourcesOfType(json, 'AWS::CloudWatch::Alarm')
      .map(([, a]) => a.Properties!)
      .filter((p) => p.MetricName === metricName && p.Namespace === namespace);

  it('pages the alert topic on every alarm, for both ALARM and OK', () => {
    const { stack, json } = base;
    const topic = { Ref: logicalId(stack, stack.alertTopic) };
    for (const [, a] of resourcesOfType(json, 'AWS::CloudWatch::Alarm')) {
      expect(a.Properties).toMatchObject({
        AlarmActions: [topic],
        OKActions: [topic],
        Threshold: 1,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        Period: 300,
      });
      expect(String(a.Properties!.AlarmName)).toMatch(/^BedrockCost-/);
    }
  });

  it('watches both DLQs for any visible message', () => {
    const { stack, json } = base;
    const alarms = alarmFor(json, 'ApproximateNumberOfMessagesVisible', 'AWS/SQS');
    expect(alarms.map((a) => a.Dimensions)).toEqual([
      [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stack, stack.ingestDlq), 'QueueName'] } }],
      [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stack, stack.scheduleDlq), 'QueueName'] } }],
    ]);
    expect(alarms.every((a) => a.Statistic === 'Maximum')).toBe(true);
  });

  it('watches handler Errors of each function', () => {
    const { stack, json } = base;
    const alarms = alarmFor(json, 'Errors', 'AWS/Lambda');
    expect(alarms.map((a) => a.Dimensions)).toEqual(
      (
        [
          'curDeliveryFunction',
          'weeklyDigestFunction',
          'quarterlyReviewFunction',
          'earlyWarningFunction',
        ] as const
      ).map((p) => [{ Name: 'FunctionName', Value: { Ref: logicalId(stack, stack[p]) } }]),
    );
    expect(alarms.every((a) => a.Statistic === 'Sum')).toBe(true);
  });

  it('watches the NotificationOutcomeUnknown metric the handlers emit through Powertools (EMF)', () => {
    const alarms = alarmFor(base.json, 'NotificationOutcomeUnknown', 'BedrockCost');
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({
      Statistic: 'Sum',
      Dimensions: [{ Name: 'service', Value: 'bedrock-cost' }],
    });
  });
});

describe('synth stays hermetic', () => {
  it("passes CDK's CloudFormation Validate rules with no finding at all (warnings included)", () => {
    const outdir = (base.stack.node.root as App).outdir;
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: unknown[];
    };
    expect(report.pluginReports).toEqual([]);
  });

  it('needs no account or region: the template is environment-agnostic', () => {
    expect(base.stack.account).toMatch(/^\$\{Token/);
    expect(render(base.stack.resolve(base.stack.region))).toBe('{{AWS::Region}}');
  });
});
