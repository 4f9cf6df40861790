import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { athenaStage1EngineFactory } from '../../adapters/athena/athena-engine.js';
import { readCatalogOverlay } from '../../adapters/catalog/overlay-source.js';
import { ConsoleNotifier } from '../../adapters/console/console-notifier.js';
import { configureDuckDb } from '../../adapters/duckdb/duckdb.js';
import { duckDbStage1Engine } from '../../adapters/duckdb/stage1-reader.js';
import { DynamoDbEarlyWarningStore } from '../../adapters/dynamodb/early-warning-store.js';
import { DynamoDbIngestLedger } from '../../adapters/dynamodb/ingest-ledger.js';
import {
  DynamoDbConditionAckStore,
  DynamoDbFeedbackStore,
} from '../../adapters/dynamodb/interaction-stores.js';
import { DynamoDbNotificationLog } from '../../adapters/dynamodb/notification-log.js';
import { DynamoDbSilenceStore } from '../../adapters/dynamodb/silence-store.js';
import { localFactStore } from '../../adapters/local-fs/fact-store.js';
import { s3FactStore } from '../../adapters/s3/fact-store.js';
import { parseS3Uri, s3Client } from '../../adapters/s3/s3-location.js';
import { loadConfigFrom } from '../../adapters/secrets/config-source.js';
import { AwsTokenSource, type TokenSource } from '../../adapters/secrets/secret-token-source.js';
import { TtlCache } from '../../adapters/secrets/ttl-cache.js';
import { createSnsClient, SnsNotifier } from '../../adapters/sns/sns-notifier.js';
import type { EngineChoice } from '../../app/ingest-once.js';
import type { NotifyDeps } from '../../app/notify.js';
import type { Clock, NotifierSet } from '../../app/ports/alerting.js';
import type { Delivery, FactStore } from '../../app/ports/ingest.js';
import type { ReportDeliveryDeps } from '../../app/report-delivery.js';
import { loadModelCatalog } from '../../config/model-catalog.js';
import type { Config } from '../../config/schema.js';
import { type CompiledAlerting, compileAlerting } from '../../core/alerting/alerting-spec.js';
import { InputError } from '../../core/errors.js';
import type { ModelCatalog } from '../../core/normalize/model-catalog.js';
import { withDeploymentAlerting } from './deployment-receivers.js';
import { lambdaDuckDbSettings } from './duckdb-lambda.js';
import { type HandlerEnv, parseHandlerEnv, regionOf } from './env.js';
import { createLogger, createMetrics, type HandlerLog, type MetricSink } from './observability.js';
import { SecretSlackNotifier, SecretSlackReportPublisher } from './secret-slack.js';

/** Clients a test (or another host) supplies instead of the defaults built from the environment. */
export interface RuntimeClients {
  s3?: S3Client | undefined;
  dynamo?: DynamoDBClient | undefined;
  sns?: SNSClient | undefined;
  secretsManager?: SecretsManagerClient | undefined;
  ssm?: SSMClient | undefined;
  athena?: AthenaClient | undefined;
  cloudWatch?: ((region: string) => CloudWatchClient) | undefined;
}

export interface RuntimeOptions {
  env?: Readonly<Record<string, string | undefined>> | undefined;
  clients?: RuntimeClients | undefined;
  /** Slack Web API base URL (a local Slack protocol server in tests). */
  slackApiUrl?: string | undefined;
  /** A fact store instead of the one BEDROCK_COST_STORE names. */
  store?: FactStore | undefined;
  /** A token source instead of Secrets Manager / SSM. */
  tokens?: TokenSource | undefined;
  clock?: Clock | undefined;
  log?: HandlerLog | undefined;
  metrics?: MetricSink | undefined;
  /** Scratch space for downloads and reports (Lambda: /tmp). */
  workDir?: string | undefined;
  /** Where a bundled config path is resolved (Lambda: the package root). */
  baseDir?: string | undefined;
  /** How long a warm function keeps the config before reading it again. */
  configTtlMs?: number | undefined;
  duckDbThreads?: number | undefined;
}

/** The parsed config with what is derived from it. */
export interface ServiceConfig {
  config: Config;
  source: string;
  alerting: CompiledAlerting;
  catalog: ModelCatalog;
}

/** Everything a handler needs, built once per cold start and reused by warm invocations. */
export interface Runtime {
  env: HandlerEnv;
  log: HandlerLog;
  metrics: MetricSink;
  clock: Clock;
  workDir: string;
  /** Where bundled files (a config, a utilization file) are found: the package root in Lambda. */
  baseDir: string;
  s3: () => S3Client;
  store: FactStore;
  ledger: DynamoDbIngestLedger;
  notificationLog: DynamoDbNotificationLog;
  silences: DynamoDbSilenceStore;
  /** Early warning's hourly estimates, pages and CUR confirmations (issue 14). */
  earlyWarnings: DynamoDbEarlyWarningStore;
  /** Slack "Not an anomaly" feedback (written by the slack-interactivity function), read by the digest. */
  feedback: DynamoDbFeedbackStore;
  serviceConfig(): Promise<ServiceConfig>;
  notifyDeps(): NotifyDeps;
  reportDeps(): ReportDeliveryDeps;
  engineFor(delivery: Delivery): EngineChoice;
  cloudWatchFor(region: string): CloudWatchClient;
}

const DEFAULT_CONFIG_TTL_MS = 5 * 60_000;

/** Caches a lazily built value: an SDK client is created only by the handler that uses it. */
function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}

export function createRuntime(options: RuntimeOptions = {}): Runtime {
  const rawEnv = options.env ?? process.env;
  const env = parseHandlerEnv(rawEnv);
  const region = regionOf(env);
  const clients = options.clients ?? {};
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? createLogger();
  const metrics = options.metrics ?? createMetrics();
  const workDir = options.workDir ?? join(tmpdir(), 'bedrock-cost');

  const s3 = lazy(() => clients.s3 ?? s3Client({ env: rawEnv, region }));
  const dynamo = lazy(() => clients.dynamo ?? new DynamoDBClient({ region }));
  const sns = lazy(() => clients.sns ?? createSnsClient({ region }));
  const secretsManager = lazy(() => clients.secretsManager ?? new SecretsManagerClient({ region }));
  const ssm = lazy(() => clients.ssm ?? new SSMClient({ region }));
  const athena = lazy(() => clients.athena ?? new AthenaClient({ region }));
  const cloudWatch = new Map<string, CloudWatchClient>();

  const store = options.store ?? openFactStore(env.BEDROCK_COST_STORE, s3, workDir);
  const tableName = env.BEDROCK_COST_STATE_TABLE;
  const ledger = new DynamoDbIngestLedger({ client: dynamo(), tableName, clock });
  const notificationLog = new DynamoDbNotificationLog({ client: dynamo(), tableName });
  const silences = new DynamoDbSilenceStore({ client: dynamo(), tableName });
  const earlyWarnings = new DynamoDbEarlyWarningStore({ client: dynamo(), tableName });
  const feedback = new DynamoDbFeedbackStore({ client: dynamo(), tableName });
  const acks = new DynamoDbConditionAckStore({ client: dynamo(), tableName });
  const tokens =
    options.tokens ??
    new AwsTokenSource({
      secretsManager,
      ssm,
      defaultSecretId: env.BEDROCK_COST_SLACK_SECRET_ARN,
      env: rawEnv,
      // The secret's name and the call's duration (a cold start's share), never its value.
      onRead: (id, ms) => log.info('secret read', { secret: id, ms: Math.round(ms) }),
    });
  const slackOptions = { tokens, slackApiUrl: options.slackApiUrl ?? env.SLACK_API_URL };
  const slack = new SecretSlackNotifier(slackOptions);
  const reportSlack = new SecretSlackReportPublisher(slackOptions);
  const snsNotifier = lazy(() => new SnsNotifier(sns()));
  // Console receivers in a deployed function write under /tmp: the package directory is read-only.
  const consoleNotifier = new ConsoleNotifier({ defaultDir: join(workDir, 'notifications') });

  const configCache = new TtlCache<ServiceConfig>(options.configTtlMs ?? DEFAULT_CONFIG_TTL_MS, () =>
    clock().getTime(),
  );
  const baseDir = options.baseDir ?? rawEnv.LAMBDA_TASK_ROOT ?? process.cwd();
  const serviceConfig = () =>
    configCache.get('config', async () => {
      const started = performance.now();
      const loaded = await loadConfigFrom(env.BEDROCK_COST_CONFIG, { s3, ssm }, baseDir);
      const config = withDeploymentAlerting(loaded.config, {
        snsTopicArn: env.BEDROCK_COST_SNS_TOPIC_ARN,
        slackChannel: env.BEDROCK_COST_SLACK_CHANNEL,
      });
      log.info('config loaded', { source: loaded.source, ms: Math.round(performance.now() - started) });
      return {
        config,
        source: loaded.source,
        alerting: compileAlerting(config),
        catalog: loadModelCatalog(
          config,
          await readCatalogOverlay(config.catalog.overlay, { s3, ssm }, baseDir),
        ),
      };
    });

  // In Lambda, DuckDB is sized from the function's memory and kept to /tmp (the code directory is read-only).
  if (env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE !== undefined) {
    const settings = lambdaDuckDbSettings(
      env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      tmpdir(),
      availableParallelism(),
    );
    configureDuckDb(settings);
    log.info('duckdb configured for Lambda', {
      memoryMb: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      memoryLimitMb: settings.memoryLimitMb,
      threads: settings.threads,
      tempDirectory: settings.tempDirectory,
    });
  }
  const duckDb = duckDbStage1Engine(options.duckDbThreads);
  const athenaEngines = lazy(() => {
    const [database, table] = (env.BEDROCK_COST_CUR_TABLE ?? '').split('.');
    return athenaStage1EngineFactory({
      client: athena(),
      database: database ?? '',
      table: table ?? '',
      workgroup: env.BEDROCK_COST_ATHENA_WORKGROUP ?? '',
    });
  });

  const notifiers = (): NotifierSet => ({ slack, sns: snsNotifier(), console: consoleNotifier });

  return {
    env,
    log,
    metrics,
    clock,
    workDir,
    baseDir,
    s3,
    store,
    ledger,
    notificationLog,
    silences,
    earlyWarnings,
    feedback,
    serviceConfig,
    // Acknowledgements written by the slack-interactivity function: no repeats while that firing lasts.
    notifyDeps: () => ({ log: notificationLog, notifiers: notifiers(), clock, silences, acks }),
    reportDeps: () => ({
      log: notificationLog,
      clock,
      slack: reportSlack,
      sns: snsNotifier(),
      console: consoleNotifier,
    }),
    engineFor(delivery) {
      if (env.BEDROCK_COST_ENGINE === 'duckdb') return { engine: duckDb, readsFiles: true };
      // Athena reads the period's partition of the CUR table itself: nothing is downloaded.
      if (!delivery.billingPeriod) {
        throw new InputError(
          `${delivery.objectKey}: the Athena engine needs a manifest that names its billing period`,
        );
      }
      return { engine: athenaEngines().forPeriod(delivery.billingPeriod), readsFiles: false };
    },
    cloudWatchFor(target) {
      let client = cloudWatch.get(target);
      if (!client) {
        client = clients.cloudWatch?.(target) ?? new CloudWatchClient({ region: target });
        cloudWatch.set(target, client);
      }
      return client;
    },
  };
}

function openFactStore(root: string, s3: () => S3Client, workDir: string): FactStore {
  if (!root.startsWith('s3://')) return localFactStore(resolve(root));
  const { bucket, key } = parseS3Uri(root);
  return s3FactStore({ client: s3(), bucket, prefix: key, workDir });
}
