import { Aws } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';

/**
 * Every IAM statement the service's own principals get, in one place, each with a Sid so the template,
 * the tests and the issue note can name it. Actions are listed one by one (no `s3:Get*`-style patterns),
 * because a pattern silently widens when AWS adds actions to a service.
 */

/** An S3 area: a bucket and a key prefix inside it (no leading or trailing slash). */
export interface S3Area {
  bucketArn: string;
  prefix: string;
}

const objects = (area: S3Area) => `${area.bucketArn}/${area.prefix}/*`;

/** Read-only on the CUR export: objects under `<prefix>/<export>/`, and listing only that prefix. */
export function curReadStatements(exportArea: S3Area): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'ReadCurExportObjects',
      // GetObjectVersion: deliveries are deduplicated on (key, version/ETag) and may be read by version.
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resources: [objects(exportArea)],
    }),
    new PolicyStatement({
      sid: 'ListCurExportPrefix',
      actions: ['s3:ListBucket'],
      resources: [exportArea.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${exportArea.prefix}/*`] } },
    }),
  ];
}

/** SSE-KMS CUR buckets: decrypt, and only when S3 asks on the function's behalf. */
export function curKmsStatements(keyArn: string): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'DecryptCurExportObjects',
      actions: ['kms:Decrypt'],
      resources: [keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
    }),
  ];
}

/**
 * Read-write on the fact store: `<root>/facts/` (snapshots replaced by one PutObject) and `<root>/state/`
 * (the ingest ledger, rewritten with If-Match). No DeleteObject: a snapshot is replaced, never removed.
 */
export function factStoreWriteStatements(facts: S3Area, state: S3Area): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'ReadWriteFactStore',
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [objects(facts), objects(state)],
    }),
    listStatement('ListFactStore', facts, state),
  ];
}

/** Read-only on the fact store, for the scheduled reports. */
export function factStoreReadStatements(facts: S3Area, state: S3Area): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'ReadFactStore',
      actions: ['s3:GetObject'],
      resources: [objects(facts), objects(state)],
    }),
    listStatement('ListFactStore', facts, state),
  ];
}

function listStatement(sid: string, ...areas: S3Area[]): PolicyStatement {
  const bucketArns = [...new Set(areas.map((a) => a.bucketArn))];
  return new PolicyStatement({
    sid,
    actions: ['s3:ListBucket'],
    resources: bucketArns,
    conditions: { StringLike: { 's3:prefix': areas.map((a) => `${a.prefix}/*`) } },
  });
}

/** The YAML config: one S3 object, or one SSM parameter (none when it is bundled in the package). */
export function configReadStatements(
  config: { kind: 's3'; objectArn: string } | { kind: 'ssm'; parameterArn: string } | { kind: 'bundled' },
): PolicyStatement[] {
  switch (config.kind) {
    case 's3':
      return [
        new PolicyStatement({ sid: 'ReadConfig', actions: ['s3:GetObject'], resources: [config.objectArn] }),
      ];
    case 'ssm':
      return [
        new PolicyStatement({
          sid: 'ReadConfig',
          actions: ['ssm:GetParameter'],
          resources: [config.parameterArn],
        }),
      ];
    default:
      return [];
  }
}

/** Every DynamoDB call the notification log and silence store make, on the one state table. */
export const STATE_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:Query',
] as const;

export function stateTableStatements(tableArn: string): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'ReadWriteStateTable',
      actions: [...STATE_TABLE_ACTIONS],
      resources: [tableArn],
    }),
  ];
}

/**
 * The Slack interactivity function's state table rights: GetItem and PutItem only, and only on the items
 * it keeps (silences, acknowledgements, feedback, seen request signatures), via dynamodb:LeadingKeys.
 */
export function interactivityStateStatements(tableArn: string): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'RecordSlackActions',
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      resources: [tableArn],
      conditions: {
        'ForAllValues:StringLike': {
          'dynamodb:LeadingKeys': ['silences', 'condition-acks', 'feedback', 'slack-seen#*'],
        },
      },
    }),
  ];
}

/** Read the named secrets (the Slack signing secret and bot token), nothing else. */
export function readSecretStatements(sid: string, secretArns: readonly string[]): PolicyStatement[] {
  return [
    new PolicyStatement({ sid, actions: ['secretsmanager:GetSecretValue'], resources: [...secretArns] }),
  ];
}

/**
 * Publish to the alert topic. The topic is KMS-encrypted, so the publisher needs GenerateDataKey and
 * Decrypt on its key — only when SNS makes the call (kms:ViaService), never directly.
 */
export function notifyStatements(
  topicArn: string,
  topicKeyArn: string,
  slackSecretArn: string,
): PolicyStatement[] {
  return [
    new PolicyStatement({ sid: 'PublishAlerts', actions: ['sns:Publish'], resources: [topicArn] }),
    new PolicyStatement({
      sid: 'UseAlertTopicKeyViaSns',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [topicKeyArn],
      conditions: { StringEquals: { 'kms:ViaService': `sns.${Aws.REGION}.amazonaws.com` } },
    }),
    new PolicyStatement({
      sid: 'ReadSlackToken',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [slackSecretArn],
    }),
  ];
}

/**
 * CloudWatch GetMetricData supports no resource-level permissions (its resource must be `*`) and no
 * namespace condition, so this is the one statement with a wildcard resource. It is read-only metrics
 * access, scoped to the regions the review may query with aws:RequestedRegion.
 */
export function metricsReadStatements(regions: string[]): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'ReadBedrockUtilizationMetrics',
      actions: ['cloudwatch:GetMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:RequestedRegion': regions } },
    }),
  ];
}

/**
 * The early warning: discover and read Bedrock's metrics. `cloudwatch:GetMetricData` and
 * `cloudwatch:ListMetrics` support no resource-level permissions (resource `*`), so they are scoped by region
 * only. (`bedrock:ListTagsForResource` is not granted: the function attributes profiles through the tags CUR
 * already carried in the facts and has no Bedrock control-plane client; see infra/README.md.)
 */
export function earlyWarningStatements(regions: string[]): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'ReadBedrockMetrics',
      actions: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:RequestedRegion': regions } },
    }),
  ];
}

export interface AthenaScope {
  workGroupArn: string;
  /** Glue catalog, database and table ARNs of the CUR table and the facts table. */
  glueArns: string[];
  /** Buckets Athena reads the data of (it asks for their location with the caller's credentials). */
  dataBucketArns: string[];
  results: S3Area;
}

/**
 * The Athena engine, with the caller's credentials: run queries in the one workgroup (which enforces the
 * result location and the bytes-scanned cutoff), read the Glue definitions, and write query results.
 * Reading the data itself comes from the CUR / fact store statements.
 */
export function athenaStatements(scope: AthenaScope): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'RunAthenaQueries',
      actions: [
        'athena:StartQueryExecution',
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'athena:StopQueryExecution',
      ],
      resources: [scope.workGroupArn],
    }),
    new PolicyStatement({
      sid: 'ReadGlueTables',
      actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
      resources: scope.glueArns,
    }),
    new PolicyStatement({
      sid: 'LocateAthenaBuckets',
      actions: ['s3:GetBucketLocation'],
      resources: [...new Set([...scope.dataBucketArns, scope.results.bucketArn])],
    }),
    new PolicyStatement({
      sid: 'WriteAthenaResults',
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resources: [objects(scope.results)],
    }),
    // The results bucket holds nothing else, so listing it needs no prefix condition (and
    // ListBucketMultipartUploads has no s3:prefix key a condition could test).
    new PolicyStatement({
      sid: 'ListAthenaResults',
      actions: ['s3:ListBucket', 's3:ListBucketMultipartUploads'],
      resources: [scope.results.bucketArn],
    }),
  ];
}

/** CloudWatch Logs for one function: streams and events in its own log group only (it exists already). */
export function logStatements(logGroupArn: string): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroupArn],
    }),
  ];
}
