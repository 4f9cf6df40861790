import {
  Annotations,
  Aws,
  CfnOutput,
  Duration,
  IgnoreMode,
  RemovalPolicy,
  Stack,
  type StackProps,
  TimeZone,
} from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as snsSubscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { factDataColumns, PARTITION_COLUMN } from './fact-table-columns.js';
import {
  type HandlerName,
  handlerSetting,
  type LambdaArchitecture,
  missingHandlers,
  NPM_CPU,
  packageArchitecture,
} from './lambda-package.js';
import {
  athenaStatements,
  configReadStatements,
  curKmsStatements,
  curReadStatements,
  earlyWarningStatements,
  factStoreReadStatements,
  factStoreWriteStatements,
  interactivityStateStatements,
  logStatements,
  metricsReadStatements,
  notifyStatements,
  readSecretStatements,
  type S3Area,
  stateTableStatements,
} from './permissions.js';
import type { BedrockCostSettings } from './settings.js';
import {
  CUR_DELIVERY_SIZING,
  EARLY_WARNING_SIZING,
  type FunctionSizing,
  INGEST_BATCH_SIZE,
  INGEST_MAX_CONCURRENCY,
  INGEST_MAX_RECEIVE_COUNT,
  INGEST_VISIBILITY_TIMEOUT,
  QUARTERLY_REVIEW_SIZING,
  SLACK_INTERACTIVITY_SIZING,
  WEEKLY_DIGEST_SIZING,
} from './sizing.js';

/** Matches the DynamoDB adapters (src/adapters/dynamodb): string partition key `pk`, TTL in epoch seconds. */
export const STATE_TABLE_PARTITION_KEY = 'pk';
export const STATE_TABLE_TTL_ATTRIBUTE = 'expiresAtEpochSec';

/** Powertools Metrics namespace and service: the NotificationOutcomeUnknown alarm watches exactly these. */
export const METRICS_NAMESPACE = 'BedrockCost';
export const SERVICE_NAME = 'bedrock-cost';
export const NOTIFICATION_OUTCOME_UNKNOWN = 'NotificationOutcomeUnknown';

export const FACTS_TABLE_NAME = 'daily_facts';
export const ATHENA_RESULTS_PREFIX = 'athena';
/** CUR 2.0 `<export>-Manifest.json` and legacy `<report>-Manifest.json` both end this way. */
export const MANIFEST_SUFFIX = '-Manifest.json';

export interface BedrockCostStackProps extends StackProps {
  settings: BedrockCostSettings;
}

/** Joins key segments with single slashes (mirrors src/adapters/s3/s3-location.ts `joinKey`). */
export function joinKey(...parts: readonly string[]): string {
  return parts
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter((part) => part !== '')
    .join('/');
}

/** What every function of the stack is built from. */
interface FunctionWiring {
  code: lambda.Code;
  environment: Record<string, string>;
  notify: iam.PolicyStatement[];
  readConfig: iam.PolicyStatement[];
}

/**
 * The Lambda package as an asset, after checking it: a package without its handlers fails the synth (or
 * warns, with `allowUnpackagedCode`), and one built for the other architecture always fails.
 */
function lambdaCode(scope: Construct, s: BedrockCostSettings): lambda.Code {
  const missing = missingHandlers(s.lambdaPackageDir);
  if (missing.length > 0) {
    const message =
      `Lambda package ${s.lambdaPackageDir} lacks ${missing.join(', ')}: ` +
      'run make package before cdk deploy';
    if (!s.allowUnpackagedCode) throw new Error(message);
    Annotations.of(scope).addWarningV2('bedrock-cost:unpackagedCode', message);
  } else {
    // A package built for the other architecture would deploy, then fail every invocation when DuckDB's
    // native binding cannot load.
    const built = packageArchitecture(s.lambdaPackageDir);
    if (built.architecture !== s.lambdaArchitecture) {
      throw new Error(
        `Lambda package ${s.lambdaPackageDir} is built for ${built.architecture} (${built.binary}), ` +
          `but the functions are ${s.lambdaArchitecture}: run make package ARCH=${NPM_CPU[s.lambdaArchitecture]}, ` +
          `or synth with -c lambdaArchitecture=${built.architecture}`,
      );
    }
  }
  // The top-level README.md documents the directory; everything else in it is the package. Git-style
  // anchoring: a bare `README.md` glob would also drop every dependency's README (CDK globs match names
  // at any depth), and the deployed code would no longer be the package `make package` checked.
  return lambda.Code.fromAsset(s.lambdaPackageDir, {
    exclude: ['/README.md'],
    ignoreMode: IgnoreMode.GIT,
  });
}

/**
 * bedrock-cost on AWS: CUR manifest events → SQS → ingest Lambda → facts in S3 + state in DynamoDB →
 * Slack/SNS; scheduled digest and review Lambdas; Glue/Athena over the facts and the CUR.
 */
export class BedrockCostStack extends Stack {
  readonly factsBucket: s3.Bucket;
  readonly athenaResultsBucket: s3.Bucket;
  readonly ingestQueue: sqs.Queue;
  readonly ingestDlq: sqs.Queue;
  readonly scheduleDlq: sqs.Queue;
  readonly stateTable: dynamodb.Table;
  readonly alertTopic: sns.Topic;
  readonly alertTopicKey: kms.Key;
  readonly slackSecret: secretsmanager.Secret;
  readonly curDeliveryFunction: lambda.Function;
  readonly weeklyDigestFunction: lambda.Function;
  readonly quarterlyReviewFunction: lambda.Function;
  readonly earlyWarningFunction: lambda.Function;
  /** Slack buttons (only with the `slackTeamId` setting). */
  readonly slackInteractivity?: {
    fn: lambda.Function;
    url: lambda.FunctionUrl;
    signingSecret: secretsmanager.Secret;
  };
  readonly backfillPolicy: iam.ManagedPolicy;
  readonly curManifestRule: events.Rule;

  constructor(scope: Construct, id: string, props: BedrockCostStackProps) {
    super(scope, id, props);
    const s = props.settings;
    this.templateOptions.description =
      'bedrock-cost: Amazon Bedrock spend from the CUR, with anomaly alerts and chargeback digests';

    // ---- The existing CUR export (read-only) -------------------------------------------------------
    const curBucket = s3.Bucket.fromBucketName(this, 'CurBucket', s.cur.bucketName);
    const curExport: S3Area = {
      bucketArn: curBucket.bucketArn,
      prefix: joinKey(s.cur.prefix, s.cur.exportName),
    };

    // ---- Storage -------------------------------------------------------------------------------------
    this.factsBucket = this.createFactsBucket();
    this.athenaResultsBucket = this.createAthenaResultsBucket();
    this.stateTable = this.createStateTable();
    const factsArea: S3Area = {
      bucketArn: this.factsBucket.bucketArn,
      prefix: joinKey(s.factsRoot, 'facts'),
    };
    const stateArea: S3Area = {
      bucketArn: this.factsBucket.bucketArn,
      prefix: joinKey(s.factsRoot, 'state'),
    };
    const resultsArea: S3Area = {
      bucketArn: this.athenaResultsBucket.bucketArn,
      prefix: ATHENA_RESULTS_PREFIX,
    };
    const storeUri = `s3://${this.factsBucket.bucketName}/${s.factsRoot}`;

    // ---- Notifications ---------------------------------------------------------------------------------
    this.alertTopicKey = this.createTopicKey();
    this.alertTopic = this.createAlertTopic(this.alertTopicKey, s.alertEmail);
    // Created with a random placeholder; the Slack bot token is put in after deploy, never in the template.
    this.slackSecret = new secretsmanager.Secret(this, 'SlackToken', {
      description: 'bedrock-cost Slack bot token (xoxb-…); set after deploy with put-secret-value',
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
    });

    // ---- Queues ----------------------------------------------------------------------------------------
    const queues = this.createQueues();
    this.ingestDlq = queues.ingestDlq;
    this.ingestQueue = queues.ingestQueue;
    this.scheduleDlq = queues.scheduleDlq;

    // ---- CUR manifest events: S3 → EventBridge → SQS -------------------------------------------------
    this.curManifestRule = this.connectCurEvents(curBucket, curExport.prefix, s.cur.manageEventBridge);

    // ---- Glue + Athena ---------------------------------------------------------------------------------
    const { workGroupArn, glueArns } = this.createGlueAndAthena(s, factsArea, resultsArea);
    const athenaScope = {
      workGroupArn,
      glueArns,
      dataBucketArns: [curBucket.bucketArn, this.factsBucket.bucketArn],
      results: resultsArea,
    };

    // ---- Functions -------------------------------------------------------------------------------------
    const config = this.configLocation(s, storeUri);
    const wiring: FunctionWiring = {
      code: lambdaCode(this, s),
      environment: this.commonEnvironment(s, storeUri, config.uri),
      notify: notifyStatements(
        this.alertTopic.topicArn,
        this.alertTopicKey.keyArn,
        this.slackSecret.secretArn,
      ),
      readConfig: configReadStatements(config.grant),
    };
    // Reading the CUR export and writing facts: the ingest function and a workstation's Athena backfill.
    const curIngest = [
      ...curReadStatements(curExport),
      ...(s.cur.kmsKeyArn !== undefined ? curKmsStatements(s.cur.kmsKeyArn) : []),
      ...factStoreWriteStatements(factsArea, stateArea),
      ...wiring.readConfig,
    ];
    this.curDeliveryFunction = this.createCurDeliveryFunction(s, wiring, {
      curExportPrefix: curExport.prefix,
      statements: [
        ...curIngest,
        ...stateTableStatements(this.stateTable.tableArn),
        ...wiring.notify,
        // Least privilege: the Athena engine's rights only when this deployment runs it.
        ...(s.engine === 'athena' ? athenaStatements(athenaScope) : []),
      ],
    });
    const reports = this.createReportFunctions(s, wiring, [
      ...factStoreReadStatements(factsArea, stateArea),
      ...wiring.readConfig,
      ...stateTableStatements(this.stateTable.tableArn),
      ...wiring.notify,
    ]);
    this.weeklyDigestFunction = reports.weeklyDigest;
    this.quarterlyReviewFunction = reports.quarterlyReview;
    this.earlyWarningFunction = reports.earlyWarning;

    if (s.slackTeamId !== undefined) {
      this.slackInteractivity = this.createSlackInteractivity(
        s.slackTeamId,
        wiring.code,
        s.lambdaArchitecture,
      );
    }

    // ---- Schedules -------------------------------------------------------------------------------------
    const timeZone = TimeZone.of(s.scheduleTimeZone);
    this.schedule('WeeklyDigestSchedule', s.weeklyDigestSchedule, timeZone, this.weeklyDigestFunction);
    this.schedule(
      'QuarterlyReviewSchedule',
      s.quarterlyReviewSchedule,
      timeZone,
      this.quarterlyReviewFunction,
    );
    this.schedule('EarlyWarningSchedule', s.earlyWarningSchedule, timeZone, this.earlyWarningFunction);

    // ---- Backfill with Athena (attach to the workstation role or SSO permission set that runs it) -------
    this.backfillPolicy = new iam.ManagedPolicy(this, 'AthenaBackfillPolicy', {
      description:
        'bedrock-cost backfill/ingest with --engine athena: read the CUR export, run queries in the ' +
        'workgroup, write facts and the ingest ledger',
      statements: [...curIngest, ...athenaStatements(athenaScope)],
    });

    // ---- Alarms → the alert topic ------------------------------------------------------------------------
    this.createAlarms();
    this.addOutputs(s, storeUri, config.uri);
  }

  private createFactsBucket(): s3.Bucket {
    return new s3.Bucket(this, 'FactsBucket', {
      // SSE-S3 rather than a customer key: analysts and Athena read the facts with IAM alone, and the
      // facts are aggregates of a bill the same principals can already see in Cost Explorer.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // A snapshot replace overwrites the object; versions let an operator roll back a bad ingest.
      versioned: true,
      lifecycleRules: [
        {
          id: 'expire-replaced-snapshots',
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
          expiredObjectDeleteMarker: true,
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private createAthenaResultsBucket(): s3.Bucket {
    return new s3.Bucket(this, 'AthenaResultsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // Query results are read once by the client that ran the query; a week covers re-reads and debugging.
      lifecycleRules: [
        {
          id: 'expire-query-results',
          expiration: Duration.days(7),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private createStateTable(): dynamodb.Table {
    return new dynamodb.Table(this, 'StateTable', {
      partitionKey: { name: STATE_TABLE_PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: STATE_TABLE_TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The notification log is what keeps pages at most once; losing it re-pages, so guard it twice.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private createAlertTopic(key: kms.Key, alertEmail: string | undefined): sns.Topic {
    const topic = new sns.Topic(this, 'AlertTopic', {
      displayName: 'bedrock-cost alerts',
      masterKey: key,
      enforceSSL: true,
    });
    // The stack's own alarms publish here; confused-deputy guard: only alarms of this stack and account.
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowStackAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': this.alarmArnPattern() },
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        },
      }),
    );
    if (alertEmail !== undefined) {
      topic.addSubscription(new snsSubscriptions.EmailSubscription(alertEmail));
    }
    return topic;
  }

  private createQueues(): { ingestDlq: sqs.Queue; ingestQueue: sqs.Queue; scheduleDlq: sqs.Queue } {
    const ingestDlq = new sqs.Queue(this, 'IngestDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // A DLQ message expires by its original enqueue time, so the DLQ must outlive the source queue's
      // retention: 14 days (the maximum) to investigate and redrive.
      retentionPeriod: Duration.days(14),
    });
    const ingestQueue = new sqs.Queue(this, 'IngestQueue', {
      // SSE-SQS: EventBridge can deliver to it without a key policy, and there is nothing secret in an event.
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: INGEST_VISIBILITY_TIMEOUT,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: ingestDlq, maxReceiveCount: INGEST_MAX_RECEIVE_COUNT },
    });
    const scheduleDlq = new sqs.Queue(this, 'ScheduleDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    return { ingestDlq, ingestQueue, scheduleDlq };
  }

  /** The environment every function shares: where the facts, config, state, topic and token are. */
  private commonEnvironment(
    s: BedrockCostSettings,
    storeUri: string,
    configUri: string,
  ): Record<string, string> {
    return {
      BEDROCK_COST_STORE: storeUri,
      BEDROCK_COST_CONFIG: configUri,
      BEDROCK_COST_STATE_TABLE: this.stateTable.tableName,
      BEDROCK_COST_SNS_TOPIC_ARN: this.alertTopic.topicArn,
      BEDROCK_COST_SLACK_SECRET_ARN: this.slackSecret.secretArn,
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      NODE_OPTIONS: '--enable-source-maps',
      // Lambda's HOME is not writable; DuckDB keeps its home directory (extensions, secrets) there.
      HOME: '/tmp',
      ...(s.slackChannel !== undefined ? { BEDROCK_COST_SLACK_CHANNEL: s.slackChannel } : {}),
    };
  }

  /** The ingest function, fed by the ingest queue (partial batch failures reported per message). */
  private createCurDeliveryFunction(
    s: BedrockCostSettings,
    wiring: FunctionWiring,
    target: { curExportPrefix: string; statements: iam.PolicyStatement[] },
  ): lambda.Function {
    const fn = this.createFunction('cur-delivery', 'CurDelivery', {
      description:
        'Ingests a CUR delivery (manifest event from SQS) into daily facts, evaluates rules, notifies',
      sizing: CUR_DELIVERY_SIZING,
      code: wiring.code,
      architecture: s.lambdaArchitecture,
      environment: {
        ...wiring.environment,
        BEDROCK_COST_ENGINE: s.engine,
        BEDROCK_COST_CUR_EXPORT: `s3://${s.cur.bucketName}/${target.curExportPrefix}`,
        ...(s.engine === 'athena'
          ? {
              BEDROCK_COST_ATHENA_WORKGROUP: s.athenaWorkGroupName,
              BEDROCK_COST_CUR_TABLE: `${s.cur.glueDatabase}.${s.cur.glueTable}`,
              BEDROCK_COST_FACTS_TABLE: `${s.glueDatabaseName}.${FACTS_TABLE_NAME}`,
            }
          : {}),
      },
      statements: target.statements,
    });
    fn.addEventSource(
      new SqsEventSource(this.ingestQueue, {
        batchSize: INGEST_BATCH_SIZE,
        maxConcurrency: INGEST_MAX_CONCURRENCY,
        reportBatchItemFailures: true,
      }),
    );
    return fn;
  }

  /** The scheduled functions: they read facts and state and notify; review and early warning read metrics. */
  private createReportFunctions(
    s: BedrockCostSettings,
    wiring: FunctionWiring,
    reportStatements: iam.PolicyStatement[],
  ): { weeklyDigest: lambda.Function; quarterlyReview: lambda.Function; earlyWarning: lambda.Function } {
    const weeklyDigest = this.createFunction('weekly-digest', 'WeeklyDigest', {
      description: 'Sends the weekly chargeback digest (EventBridge Scheduler)',
      sizing: WEEKLY_DIGEST_SIZING,
      code: wiring.code,
      architecture: s.lambdaArchitecture,
      environment: wiring.environment,
      statements: reportStatements,
    });
    const metricRegions = s.metricRegions ?? [Aws.REGION];
    const quarterlyReview = this.createFunction('quarterly-review', 'QuarterlyReview', {
      description: 'Sends the quarterly provisioned-commitment review (EventBridge Scheduler)',
      sizing: QUARTERLY_REVIEW_SIZING,
      code: wiring.code,
      architecture: s.lambdaArchitecture,
      environment: { ...wiring.environment, BEDROCK_COST_METRIC_REGIONS: metricRegions.join(',') },
      statements: [...reportStatements, ...metricsReadStatements(metricRegions)],
    });
    const earlyWarning = this.createFunction('early-warning', 'EarlyWarning', {
      description: 'Hourly early warning from Bedrock CloudWatch metrics (EventBridge Scheduler)',
      sizing: EARLY_WARNING_SIZING,
      code: wiring.code,
      architecture: s.lambdaArchitecture,
      environment: { ...wiring.environment, BEDROCK_COST_METRIC_REGIONS: metricRegions.join(',') },
      statements: [...reportStatements, ...earlyWarningStatements(metricRegions)],
    });
    return { weeklyDigest, quarterlyReview, earlyWarning };
  }

  private addOutputs(s: BedrockCostSettings, storeUri: string, configUri: string): void {
    new CfnOutput(this, 'FactsStoreUri', { value: storeUri, description: 'BEDROCK_COST_STORE / --store' });
    new CfnOutput(this, 'AlertTopicArn', { value: this.alertTopic.topicArn });
    new CfnOutput(this, 'SlackTokenSecretArn', { value: this.slackSecret.secretArn });
    new CfnOutput(this, 'StateTableName', { value: this.stateTable.tableName });
    new CfnOutput(this, 'IngestQueueUrl', { value: this.ingestQueue.queueUrl });
    new CfnOutput(this, 'IngestDlqUrl', { value: this.ingestDlq.queueUrl });
    new CfnOutput(this, 'AthenaWorkGroupName', { value: s.athenaWorkGroupName });
    new CfnOutput(this, 'AthenaBackfillPolicyArn', { value: this.backfillPolicy.managedPolicyArn });
    new CfnOutput(this, 'ConfigUri', { value: configUri });
  }

  /**
   * Slack interactivity: a small function behind a Function URL with auth NONE. Slack cannot sign requests
   * with SigV4 (AWS_IAM auth) or send a custom authorizer token; it signs every request with the app's
   * signing secret instead (v0 HMAC over the timestamp and body), which the function verifies, in constant
   * time and within 5 minutes, before it reads a payload or writes anything. Its role can read only the
   * signing secret and the bot token, and get/put only its own items of the state table.
   */
  private createSlackInteractivity(
    teamId: string,
    code: lambda.Code,
    architecture: LambdaArchitecture,
  ): { fn: lambda.Function; url: lambda.FunctionUrl; signingSecret: secretsmanager.Secret } {
    // A random placeholder until the app's signing secret is put in after deploy (put-secret-value): a
    // placeholder verifies no request Slack signs, so the URL refuses everything until then.
    const signingSecret = new secretsmanager.Secret(this, 'SlackSigningSecret', {
      description:
        'bedrock-cost Slack app signing secret (Basic Information → Signing Secret); set after deploy',
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
    });
    const fn = this.createFunction('slack-interactivity', 'SlackInteractivity', {
      description:
        'Slack buttons on alerts: Acknowledge, Snooze, Not an anomaly (Function URL, Slack-signed)',
      sizing: SLACK_INTERACTIVITY_SIZING,
      code,
      architecture,
      environment: {
        BEDROCK_COST_STATE_TABLE: this.stateTable.tableName,
        BEDROCK_COST_SLACK_SIGNING_SECRET_ARN: signingSecret.secretArn,
        BEDROCK_COST_SLACK_SECRET_ARN: this.slackSecret.secretArn,
        BEDROCK_COST_SLACK_TEAM_ID: teamId,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        NODE_OPTIONS: '--enable-source-maps',
      },
      statements: [
        ...interactivityStateStatements(this.stateTable.tableArn),
        ...readSecretStatements('ReadSlackSecrets', [signingSecret.secretArn, this.slackSecret.secretArn]),
      ],
    });
    const url = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    new CfnOutput(this, 'SlackInteractivityUrl', {
      value: url.url,
      description: 'Slack app → Interactivity & Shortcuts → Request URL',
    });
    new CfnOutput(this, 'SlackSigningSecretArn', { value: signingSecret.secretArn });
    return { fn, url, signingSecret };
  }

  /** ArnLike pattern of this stack's alarms (their names are prefixed with the stack name). */
  private alarmArnPattern(): string {
    return `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:${this.stackName}-*`;
  }

  /**
   * The topic key, with an explicit policy instead of CDK's default `kms:*` for the account: key
   * administration for the account, data-key use delegated to IAM (the functions' policies add a
   * kms:ViaService condition), and CloudWatch alarms, which must encrypt what they publish to the topic.
   */
  private createTopicKey(): kms.Key {
    const account = new iam.AccountRootPrincipal();
    const policy = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'AccountAdministersKey',
          principals: [account],
          actions: [
            'kms:CreateAlias',
            'kms:DeleteAlias',
            'kms:UpdateAlias',
            'kms:DescribeKey',
            'kms:GetKeyPolicy',
            'kms:PutKeyPolicy',
            'kms:GetKeyRotationStatus',
            'kms:EnableKeyRotation',
            'kms:DisableKeyRotation',
            'kms:ListKeyRotations',
            'kms:RotateKeyOnDemand',
            'kms:EnableKey',
            'kms:DisableKey',
            'kms:UpdateKeyDescription',
            'kms:ListResourceTags',
            'kms:TagResource',
            'kms:UntagResource',
            'kms:ListGrants',
            'kms:RevokeGrant',
            'kms:ScheduleKeyDeletion',
            'kms:CancelKeyDeletion',
          ],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'AccountDelegatesKeyUseToIam',
          principals: [account],
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'CloudWatchAlarmsEncryptForTopic',
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: ['*'],
        }),
      ],
    });
    const key = new kms.Key(this, 'AlertTopicKey', {
      description: 'bedrock-cost alert topic encryption',
      enableKeyRotation: true,
      policy,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    key.addAlias('alias/bedrock-cost-alerts');
    return key;
  }

  /**
   * S3 → EventBridge → SQS, not an S3 event notification straight to SQS. The CUR bucket is not ours:
   * S3 keeps one notification configuration per bucket, rejects two rules whose prefix/suffix overlap for
   * the same event, and the CUR bucket often already has one on this very prefix (AWS's own CUR→Athena
   * crawler template adds an ObjectCreated notification there), so a direct notification can fail to
   * deploy or be wiped by whoever owns the bucket. Turning on EventBridge delivery is one additive flag
   * that any number of consumers share, and the manifest filter (prefix + suffix) lives in our rule.
   * The flag is set by CDK's notifications custom resource, which merges with (never replaces) the
   * bucket's existing configuration and leaves EventBridge on when the stack is deleted.
   */
  private connectCurEvents(
    curBucket: s3.IBucket,
    exportPrefix: string,
    manageEventBridge: boolean,
  ): events.Rule {
    if (manageEventBridge) curBucket.enableEventBridgeNotification();
    const rule = new events.Rule(this, 'CurManifestRule', {
      description: 'CUR manifests of the configured export → bedrock-cost ingest queue',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [curBucket.bucketName] },
          // `*` spans '/': CUR 2.0 `metadata/BILLING_PERIOD=…/<export>-Manifest.json` and legacy
          // `<yyyymmdd-yyyymmdd>/[<assembly>/]<report>-Manifest.json`; data files never end this way.
          object: { key: events.Match.wildcard(`${exportPrefix}/*${MANIFEST_SUFFIX}`) },
        },
      },
    });
    // Undeliverable events (queue policy or SQS outage past 24 h of retries) land in the ingest DLQ, in the
    // same shape as queue messages, so one redrive puts them back into the ingest queue.
    rule.addTarget(
      new eventsTargets.SqsQueue(this.ingestQueue, {
        deadLetterQueue: this.ingestDlq,
        maxEventAge: Duration.hours(24),
        retryAttempts: 185,
      }),
    );
    return rule;
  }

  private createGlueAndAthena(
    s: BedrockCostSettings,
    factsArea: S3Area,
    resultsArea: S3Area,
  ): { workGroupArn: string; glueArns: string[] } {
    const database = new glue.CfnDatabase(this, 'GlueDatabase', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: { name: s.glueDatabaseName, description: 'bedrock-cost daily facts' },
    });
    const factsTable = new glue.CfnTable(this, 'FactsTable', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: s.glueDatabaseName,
      tableInput: {
        name: FACTS_TABLE_NAME,
        description: 'Amazon Bedrock daily facts, one Parquet snapshot per (billing period, export)',
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [{ name: PARTITION_COLUMN, type: 'string' }],
        parameters: {
          classification: 'parquet',
          EXTERNAL: 'TRUE',
          // Partition projection: a new billing period is queryable the moment its file lands, with no
          // crawler or MSCK REPAIR to run (and no glue:BatchCreatePartition for the ingest function).
          'projection.enabled': 'true',
          [`projection.${PARTITION_COLUMN}.type`]: 'date',
          [`projection.${PARTITION_COLUMN}.format`]: 'yyyy-MM',
          [`projection.${PARTITION_COLUMN}.range`]: '2023-01,NOW',
          [`projection.${PARTITION_COLUMN}.interval`]: '1',
          [`projection.${PARTITION_COLUMN}.interval.unit`]: 'MONTHS',
          'storage.location.template': `s3://${this.factsBucket.bucketName}/${factsArea.prefix}/${PARTITION_COLUMN}=\${${PARTITION_COLUMN}}/`,
        },
        storageDescriptor: {
          location: `s3://${this.factsBucket.bucketName}/${factsArea.prefix}/`,
          columns: factDataColumns(),
          inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        },
      },
    });
    factsTable.addResourceDependency(database);

    new athena.CfnWorkGroup(this, 'AthenaWorkGroup', {
      name: s.athenaWorkGroupName,
      description: 'bedrock-cost: stage-1 queries over the CUR (backfill, ENGINE=athena) and analyst queries',
      state: 'ENABLED',
      workGroupConfiguration: {
        // Enforced: a client cannot redirect results elsewhere or lift the cutoff per query.
        enforceWorkGroupConfiguration: true,
        bytesScannedCutoffPerQuery: s.athenaBytesScannedCutoff,
        publishCloudWatchMetricsEnabled: true,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${this.athenaResultsBucket.bucketName}/${resultsArea.prefix}/`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          expectedBucketOwner: Aws.ACCOUNT_ID,
        },
      },
    });

    const glueArn = (resource: string, resourceName?: string) =>
      this.formatArn({ service: 'glue', resource, ...(resourceName !== undefined ? { resourceName } : {}) });
    const glueArns = [
      glueArn('catalog'),
      ...new Set([glueArn('database', s.glueDatabaseName), glueArn('database', s.cur.glueDatabase)]),
      glueArn('table', `${s.glueDatabaseName}/${FACTS_TABLE_NAME}`),
      glueArn('table', `${s.cur.glueDatabase}/${s.cur.glueTable}`),
    ];
    const workGroupArn = this.formatArn({
      service: 'athena',
      resource: 'workgroup',
      resourceName: s.athenaWorkGroupName,
    });
    return { workGroupArn, glueArns };
  }

  /** Where the handlers read their YAML config, and the one grant that reading needs. */
  private configLocation(
    s: BedrockCostSettings,
    storeUri: string,
  ): {
    uri: string;
    grant: { kind: 's3'; objectArn: string } | { kind: 'ssm'; parameterArn: string } | { kind: 'bundled' };
  } {
    if (s.configUri === undefined) {
      const key = joinKey(s.factsRoot, 'config', 'bedrock-cost.yaml');
      return {
        uri: `${storeUri}/config/bedrock-cost.yaml`,
        grant: { kind: 's3', objectArn: this.factsBucket.arnForObjects(key) },
      };
    }
    const s3Match = /^s3:\/\/([^/]+)\/(.+)$/.exec(s.configUri);
    if (s3Match) {
      return {
        uri: s.configUri,
        grant: { kind: 's3', objectArn: `arn:${Aws.PARTITION}:s3:::${s3Match[1]}/${s3Match[2]}` },
      };
    }
    if (s.configUri.startsWith('ssm:')) {
      const name = s.configUri.slice('ssm:'.length).replace(/^\/+/, '');
      return {
        uri: s.configUri,
        grant: {
          kind: 'ssm',
          parameterArn: this.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name }),
        },
      };
    }
    return { uri: s.configUri, grant: { kind: 'bundled' } };
  }

  /**
   * A function with its own role and log group. The role gets no managed policy (not even
   * AWSLambdaBasicExecutionRole, whose logs actions apply to every log group): every permission is an
   * inline statement in this template, where the tests can see it.
   */
  private createFunction(
    name: HandlerName,
    id: string,
    options: {
      description: string;
      sizing: FunctionSizing;
      code: lambda.Code;
      architecture: LambdaArchitecture;
      environment: Record<string, string>;
      statements: iam.PolicyStatement[];
    },
  ): lambda.Function {
    const logGroup = new logs.LogGroup(this, `${id}Logs`, {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `bedrock-cost ${name} function`,
    });
    for (const statement of [...logStatements(logGroup.logGroupArn), ...options.statements]) {
      role.addToPrincipalPolicy(statement);
    }
    return new lambda.Function(this, `${id}Function`, {
      description: options.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture:
        options.architecture === 'x86_64' ? lambda.Architecture.X86_64 : lambda.Architecture.ARM_64,
      code: options.code,
      handler: handlerSetting(name),
      memorySize: options.sizing.memoryMiB,
      timeout: options.sizing.timeout,
      ephemeralStorageSize: options.sizing.ephemeralStorage,
      role,
      logGroup,
      environment: options.environment,
    });
  }

  private schedule(id: string, expression: string, timeZone: TimeZone, fn: lambda.IFunction): void {
    new scheduler.Schedule(this, id, {
      description: `bedrock-cost ${id}`,
      schedule: scheduler.ScheduleExpression.expression(expression, timeZone),
      target: new schedulerTargets.LambdaInvoke(fn, {
        // Delivery retries only; the reports are idempotent (sent once per receiver and period via the
        // notification log), so a retried invoke is harmless.
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: this.scheduleDlq,
      }),
    });
  }

  private createAlarms(): void {
    const period = Duration.minutes(5);
    const alarm = (id: string, name: string, metric: cloudwatch.IMetric, description: string) => {
      const created = new cloudwatch.Alarm(this, id, {
        alarmName: `${this.stackName}-${name}`,
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No datapoints means nothing happened (no messages, no invocations, no unknown outcomes).
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      const action = new cloudwatchActions.SnsAction(this.alertTopic);
      created.addAlarmAction(action);
      created.addOkAction(action);
    };

    alarm(
      'IngestDlqDepthAlarm',
      'ingest-dlq-not-empty',
      this.ingestDlq.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
      'A CUR delivery failed every ingest attempt (or could not be queued). Inspect, fix, then redrive to the ingest queue.',
    );
    alarm(
      'ScheduleDlqDepthAlarm',
      'schedule-dlq-not-empty',
      this.scheduleDlq.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
      'EventBridge Scheduler could not invoke the weekly digest, the quarterly review or the early warning.',
    );
    for (const [id, name, fn] of [
      ['CurDeliveryErrorsAlarm', 'cur-delivery-errors', this.curDeliveryFunction],
      ['WeeklyDigestErrorsAlarm', 'weekly-digest-errors', this.weeklyDigestFunction],
      ['QuarterlyReviewErrorsAlarm', 'quarterly-review-errors', this.quarterlyReviewFunction],
      ['EarlyWarningErrorsAlarm', 'early-warning-errors', this.earlyWarningFunction],
    ] as const) {
      alarm(
        id,
        name,
        fn.metricErrors({ period, statistic: 'Sum' }),
        `The ${name.replace(/-errors$/, '')} handler failed (crash, timeout or out of memory).`,
      );
    }
    alarm(
      'NotificationOutcomeUnknownAlarm',
      'notification-outcome-unknown',
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: NOTIFICATION_OUTCOME_UNKNOWN,
        dimensionsMap: { service: SERVICE_NAME },
        statistic: 'Sum',
        period,
      }),
      'A Slack/SNS send timed out or failed ambiguously; it was recorded as sent (never paged twice) and may not have arrived. Check the receiver.',
    );
  }
}
