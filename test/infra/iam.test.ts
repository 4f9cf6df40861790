import { beforeAll, describe, expect, it } from 'vitest';
import type { BedrockCostStack } from '../../infra/lib/bedrock-cost-stack.js';
import {
  actionsOf,
  asList,
  type CfnTemplate,
  CUR_BUCKET,
  logicalId,
  policyDocuments,
  render,
  rendered,
  resourcesOf,
  roleStatements,
  type Statement,
  type Synthesized,
  synth,
  testSettings,
} from './helpers.js';

/** A statement as text: Sid (or a label for CDK's unnamed ones), actions, resources, rendered conditions. */
interface Described {
  Sid: string;
  Action: string[];
  Resource: string[];
  Condition?: unknown;
}

function renderDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(renderDeep);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && ['Ref', 'Fn::GetAtt', 'Fn::Join', 'Fn::Sub'].includes(keys[0]!))
      return render(value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v)]));
  }
  return value;
}

function describeStatements(statements: Statement[]): Described[] {
  return statements.map((s) => ({
    Sid: s.Sid ?? (actionsOf(s).includes('sqs:ReceiveMessage') ? '(SqsEventSource)' : '(unnamed)'),
    Action: actionsOf(s),
    Resource: resourcesOf(s),
    ...(s.Condition !== undefined ? { Condition: renderDeep(s.Condition) } : {}),
  }));
}

const CUR = `arn:{{AWS::Partition}}:s3:::${CUR_BUCKET}`;
const REGION = '{{AWS::Region}}';
const ACCOUNT = '{{AWS::AccountId}}';

/** What each function and the backfill policy may do, statement by statement (the issue note lists this). */
function expectedStatements(stack: BedrockCostStack, engine: 'duckdb' | 'athena') {
  const facts = rendered(stack, stack.factsBucket.bucketArn);
  const results = rendered(stack, stack.athenaResultsBucket.bucketArn);
  const logs = (
    fn: 'curDeliveryFunction' | 'weeklyDigestFunction' | 'quarterlyReviewFunction' | 'earlyWarningFunction',
  ) => ({
    Sid: 'WriteOwnLogs',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: [rendered(stack, stack[fn].logGroup.logGroupArn)],
  });
  const curRead: Described[] = [
    {
      Sid: 'ReadCurExportObjects',
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: [`${CUR}/cur/bedrock-cost-cur2/*`],
    },
    {
      Sid: 'ListCurExportPrefix',
      Action: ['s3:ListBucket'],
      Resource: [CUR],
      Condition: { StringLike: { 's3:prefix': ['cur/bedrock-cost-cur2/*'] } },
    },
  ];
  const storeObjects = [`${facts}/bedrock-cost/facts/*`, `${facts}/bedrock-cost/state/*`];
  const storeList: Described = {
    Sid: 'ListFactStore',
    Action: ['s3:ListBucket'],
    Resource: [facts],
    Condition: { StringLike: { 's3:prefix': ['bedrock-cost/facts/*', 'bedrock-cost/state/*'] } },
  };
  const storeWrite: Described[] = [
    { Sid: 'ReadWriteFactStore', Action: ['s3:GetObject', 's3:PutObject'], Resource: storeObjects },
    storeList,
  ];
  const storeRead: Described[] = [
    { Sid: 'ReadFactStore', Action: ['s3:GetObject'], Resource: storeObjects },
    storeList,
  ];
  const config: Described = {
    Sid: 'ReadConfig',
    Action: ['s3:GetObject'],
    Resource: [`${facts}/bedrock-cost/config/bedrock-cost.yaml`],
  };
  const state: Described = {
    Sid: 'ReadWriteStateTable',
    Action: [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:Query',
    ],
    Resource: [rendered(stack, stack.stateTable.tableArn)],
  };
  const notify: Described[] = [
    { Sid: 'PublishAlerts', Action: ['sns:Publish'], Resource: [rendered(stack, stack.alertTopic.topicArn)] },
    {
      Sid: 'UseAlertTopicKeyViaSns',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: [rendered(stack, stack.alertTopicKey.keyArn)],
      Condition: { StringEquals: { 'kms:ViaService': `sns.${REGION}.amazonaws.com` } },
    },
    {
      Sid: 'ReadSlackToken',
      Action: ['secretsmanager:GetSecretValue'],
      Resource: [rendered(stack, stack.slackSecret.secretArn)],
    },
  ];
  const glue = (r: string) => `arn:{{AWS::Partition}}:glue:${REGION}:${ACCOUNT}:${r}`;
  const athena: Described[] = [
    {
      Sid: 'RunAthenaQueries',
      Action: [
        'athena:StartQueryExecution',
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'athena:StopQueryExecution',
      ],
      Resource: [`arn:{{AWS::Partition}}:athena:${REGION}:${ACCOUNT}:workgroup/bedrock-cost`],
    },
    {
      Sid: 'ReadGlueTables',
      Action: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
      Resource: [
        glue('catalog'),
        glue('database/bedrock_cost'),
        glue('database/billing'),
        glue('table/bedrock_cost/daily_facts'),
        glue('table/billing/cur2'),
      ],
    },
    { Sid: 'LocateAthenaBuckets', Action: ['s3:GetBucketLocation'], Resource: [CUR, facts, results] },
    {
      Sid: 'WriteAthenaResults',
      Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      Resource: [`${results}/athena/*`],
    },
    {
      Sid: 'ListAthenaResults',
      Action: ['s3:ListBucket', 's3:ListBucketMultipartUploads'],
      Resource: [results],
    },
  ];
  const sqsConsume: Described = {
    Sid: '(SqsEventSource)',
    Action: [
      'sqs:ReceiveMessage',
      'sqs:ChangeMessageVisibility',
      'sqs:GetQueueUrl',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
    ],
    Resource: [rendered(stack, stack.ingestQueue.queueArn)],
  };
  const metrics: Described = {
    Sid: 'ReadBedrockUtilizationMetrics',
    Action: ['cloudwatch:GetMetricData'],
    Resource: ['*'],
    Condition: { StringEquals: { 'aws:RequestedRegion': [REGION] } },
  };
  return {
    curDeliveryFunction: [
      logs('curDeliveryFunction'),
      ...curRead,
      ...storeWrite,
      config,
      state,
      ...notify,
      ...(engine === 'athena' ? athena : []),
      sqsConsume,
    ],
    weeklyDigestFunction: [logs('weeklyDigestFunction'), ...storeRead, config, state, ...notify],
    quarterlyReviewFunction: [
      logs('quarterlyReviewFunction'),
      ...storeRead,
      config,
      state,
      ...notify,
      metrics,
    ],
    earlyWarningFunction: [
      logs('earlyWarningFunction'),
      ...storeRead,
      config,
      state,
      ...notify,
      {
        Sid: 'ReadBedrockMetrics',
        Action: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'],
        Resource: ['*'],
        Condition: { StringEquals: { 'aws:RequestedRegion': [REGION] } },
      },
    ],
    backfillPolicy: [...curRead, ...storeWrite, config, ...athena],
  };
}

const FUNCTIONS = [
  'curDeliveryFunction',
  'weeklyDigestFunction',
  'quarterlyReviewFunction',
  'earlyWarningFunction',
] as const;

describe.each(['duckdb', 'athena'] as const)('IAM with engine=%s', (engine) => {
  let built: Synthesized;
  beforeAll(() => {
    built = synth(testSettings({ engine }));
  });

  it.each(FUNCTIONS)('%s role has exactly the expected statements', (fn) => {
    const { stack, json } = built;
    const actual = describeStatements(roleStatements(json, logicalId(stack, stack[fn].role!)));
    expect(actual).toEqual(expectedStatements(stack, engine)[fn]);
  });

  it.each(FUNCTIONS)('%s role has no managed policy and trusts only Lambda', (fn) => {
    const { stack, json } = built;
    const role = json.Resources[logicalId(stack, stack[fn].role!)]!.Properties!;
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.Policies).toBeUndefined();
    expect(role.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
      ],
    });
  });

  it('the Athena backfill managed policy has exactly the expected statements and is attached to nothing', () => {
    const { stack, json } = built;
    const policy = json.Resources[logicalId(stack, stack.backfillPolicy)]!.Properties!;
    expect(describeStatements((policy.PolicyDocument as { Statement: Statement[] }).Statement)).toEqual(
      expectedStatements(stack, engine).backfillPolicy,
    );
    expect(policy.Roles ?? policy.Users ?? policy.Groups).toBeUndefined();
  });
});

/** Allow statements of every IAM policy in the template, with where they come from. */
function allowStatements(json: CfnTemplate): { where: string; statement: Statement }[] {
  return policyDocuments(json)
    .filter((d) => d.resourceType === 'AWS::IAM::Policy' || d.resourceType === 'AWS::IAM::ManagedPolicy')
    .flatMap((d) =>
      d.statements.filter((s) => s.Effect === 'Allow').map((statement) => ({ where: d.where, statement })),
    );
}

describe('data-access invariants over the whole template (both engines, all options)', () => {
  const variants = [
    testSettings(),
    testSettings({
      engine: 'athena',
      alertEmail: 'oncall@example.com',
      metricRegions: ['us-east-1', 'eu-west-1'],
      cur: {
        ...testSettings().cur,
        kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      },
    }),
  ];

  it.each(variants.map((v, i) => [i, v] as const))(
    'variant %i: the CUR export is read-only',
    (_i, settings) => {
      const { json } = synth(settings);
      const readActions = new Set([
        's3:GetObject',
        's3:GetObjectVersion',
        's3:ListBucket',
        's3:GetBucketLocation',
      ]);
      let seen = 0;
      for (const { where, statement } of allowStatements(json)) {
        const curResources = resourcesOf(statement).filter((r) => r.startsWith(CUR));
        if (curResources.length === 0) continue;
        seen++;
        if (where.startsWith('CurBucketNotificationsHandlerPolicy')) {
          // CDK's handler that turns on EventBridge delivery: bucket configuration, never objects.
          expect(curResources).toEqual([CUR]);
          expect(actionsOf(statement)).toEqual([expect.stringMatching(/^s3:(Put|Get)BucketNotification$/)]);
          continue;
        }
        for (const action of actionsOf(statement))
          expect(readActions, `${where}: ${action}`).toContain(action);
        for (const r of curResources) expect([CUR, `${CUR}/cur/bedrock-cost-cur2/*`]).toContain(r);
      }
      expect(seen).toBeGreaterThan(0);
    },
  );

  it.each(variants.map((v, i) => [i, v] as const))(
    'variant %i: S3 writes only to the facts/state prefixes and Athena results',
    (_i, settings) => {
      const { stack, json } = synth(settings);
      const facts = rendered(stack, stack.factsBucket.bucketArn);
      const results = rendered(stack, stack.athenaResultsBucket.bucketArn);
      const writable = [
        `${facts}/bedrock-cost/facts/*`,
        `${facts}/bedrock-cost/state/*`,
        `${results}/athena/*`,
      ];
      const writes = /^s3:(Put|Delete|Restore|Replicate|AbortMultipartUpload|CreateMultipartUpload|Bypass)/;
      for (const { where, statement } of allowStatements(json)) {
        if (!actionsOf(statement).some((a) => writes.test(a) && !/BucketNotification$/.test(a))) continue;
        for (const r of resourcesOf(statement)) expect(writable, `${where} writes ${r}`).toContain(r);
      }
    },
  );

  it.each(variants.map((v, i) => [i, v] as const))(
    'variant %i: only cur-delivery and the backfill policy write S3; reports only read',
    (_i, settings) => {
      const { stack, json } = synth(settings);
      for (const fn of ['weeklyDigestFunction', 'quarterlyReviewFunction'] as const) {
        const actions = roleStatements(json, logicalId(stack, stack[fn].role!)).flatMap(actionsOf);
        expect(
          actions.filter((a) => a.startsWith('s3:') && a !== 's3:GetObject' && a !== 's3:ListBucket'),
        ).toEqual([]);
      }
    },
  );

  it.each(variants.map((v, i) => [i, v] as const))(
    'variant %i: DynamoDB item actions on the state table only; no Scan, batch or table admin',
    (_i, settings) => {
      const { stack, json } = synth(settings);
      const table = rendered(stack, stack.stateTable.tableArn);
      for (const { statement } of allowStatements(json)) {
        const dynamo = actionsOf(statement).filter((a) => a.startsWith('dynamodb:'));
        if (dynamo.length === 0) continue;
        expect(resourcesOf(statement)).toEqual([table]);
        for (const a of dynamo) expect(a).not.toMatch(/Scan|Batch|Table|Backup|Export|Import|Stream/);
      }
    },
  );

  it('the CloudWatch read exceptions exist only on the quarterly review and the early warning, scoped to the configured regions', () => {
    const { stack, json } = synth(variants[1]!);
    const holders = allowStatements(json).filter(({ statement }) => resourcesOf(statement).includes('*'));
    expect(holders).toHaveLength(2);
    const reviewStatements = roleStatements(json, logicalId(stack, stack.quarterlyReviewFunction.role!));
    const earlyStatements = roleStatements(json, logicalId(stack, stack.earlyWarningFunction.role!));
    const review = holders.find((h) => h.statement.Sid === 'ReadBedrockUtilizationMetrics')!.statement;
    const early = holders.find((h) => h.statement.Sid === 'ReadBedrockMetrics')!.statement;
    expect(reviewStatements).toContainEqual(review);
    expect(earlyStatements).toContainEqual(early);
    expect(review).toMatchObject({
      Action: 'cloudwatch:GetMetricData',
      Condition: { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } },
    });
    expect(early).toMatchObject({
      Action: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'],
      Condition: { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } },
    });
    // No Bedrock rights: attribution comes from the tags CUR carried into the facts.
    expect(earlyStatements.flatMap(actionsOf).filter((a) => a.startsWith('bedrock:'))).toEqual([]);
  });

  it('Athena and Glue rights go to cur-delivery only with engine=athena (and always to the backfill policy)', () => {
    for (const [settings, curHasAthena] of [
      [variants[0]!, false],
      [variants[1]!, true],
    ] as const) {
      const { stack, json } = synth(settings);
      for (const fn of FUNCTIONS) {
        const actions = roleStatements(json, logicalId(stack, stack[fn].role!)).flatMap(actionsOf);
        const athena = actions.some((a) => a.startsWith('athena:') || a.startsWith('glue:'));
        expect(athena, fn).toBe(fn === 'curDeliveryFunction' && curHasAthena);
      }
    }
  });

  it('decrypts SSE-KMS CUR objects only through S3, when a CUR key is configured', () => {
    const { stack, json } = synth(variants[1]!);
    const statements = describeStatements(
      roleStatements(json, logicalId(stack, stack.curDeliveryFunction.role!)),
    );
    expect(statements.find((s) => s.Sid === 'DecryptCurExportObjects')).toEqual({
      Sid: 'DecryptCurExportObjects',
      Action: ['kms:Decrypt'],
      Resource: ['arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
      Condition: { StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } },
    });
  });

  it('grants ssm:GetParameter on exactly the configured parameter when the config lives in SSM', () => {
    const { stack, json } = synth(testSettings({ configUri: 'ssm:/bedrock-cost/config' }));
    for (const fn of FUNCTIONS) {
      const statements = describeStatements(roleStatements(json, logicalId(stack, stack[fn].role!)));
      expect(statements.find((s) => s.Sid === 'ReadConfig')).toEqual({
        Sid: 'ReadConfig',
        Action: ['ssm:GetParameter'],
        Resource: [`arn:{{AWS::Partition}}:ssm:${REGION}:${ACCOUNT}:parameter/bedrock-cost/config`],
      });
    }
  });

  it('grants nothing for a config bundled in the package', () => {
    const { stack, json } = synth(testSettings({ configUri: 'config/bedrock-cost.yaml' }));
    const sids = roleStatements(json, logicalId(stack, stack.curDeliveryFunction.role!)).map((s) => s.Sid);
    expect(sids).not.toContain('ReadConfig');
    expect(asList(sids).length).toBeGreaterThan(5);
  });
});
