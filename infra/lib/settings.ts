/**
 * Deployment settings of the bedrock-cost stack, read from CDK context (`cdk.json`, `-c key=value`).
 * Everything is validated here, at synth time, so a typo fails `cdk synth` with the key's name instead of
 * a half-working deployment.
 */

import { LAMBDA_ARCHITECTURES, type LambdaArchitecture } from './lambda-package.js';

export type Engine = 'duckdb' | 'athena';

export interface CurExportSettings {
  /** The existing bucket the CUR 2.0 (or legacy CUR) export is delivered to; never created by this stack. */
  bucketName: string;
  /** The export's S3 path prefix as configured in Data Exports ('' when the export writes at the root). */
  prefix: string;
  /** Data Exports export name (legacy CUR: report name); AWS writes `<prefix>/<exportName>/…`. */
  exportName: string;
  /** Customer managed KMS key of the CUR bucket, when it uses SSE-KMS (reads need kms:Decrypt). */
  kmsKeyArn?: string;
  /**
   * Whether this stack turns on "send events to EventBridge" on the CUR bucket (a merge, never a
   * replacement of the bucket's other notifications). Off when another tool owns the bucket's notification
   * configuration (Terraform `aws_s3_bucket_notification { eventbridge = true }`, the console, …).
   */
  manageEventBridge: boolean;
  /** Glue database and table over the CUR export, used by the Athena engine (not created here). */
  glueDatabase: string;
  glueTable: string;
}

export interface BedrockCostSettings {
  cur: CurExportSettings;
  /** Store root inside the facts bucket: facts under `<root>/facts/`, ledger under `<root>/state/`. */
  factsRoot: string;
  engine: Engine;
  slackChannel?: string;
  /**
   * The Slack workspace (team) id, e.g. T0123ABCD. Setting it deploys the Slack interactivity function
   * and its Function URL (buttons on alerts: Acknowledge, Snooze, Not an anomaly); requests from any other
   * workspace are refused.
   */
  slackTeamId?: string;
  alertEmail?: string;
  /** EventBridge Scheduler expressions, evaluated in `scheduleTimeZone`. */
  weeklyDigestSchedule: string;
  quarterlyReviewSchedule: string;
  /** The hourly early warning from CloudWatch metrics (issue 14). */
  earlyWarningSchedule: string;
  scheduleTimeZone: string;
  /** Athena refuses (and cancels) any query of the workgroup that would scan more than this. */
  athenaBytesScannedCutoff: number;
  glueDatabaseName: string;
  athenaWorkGroupName: string;
  /**
   * Where the handlers read the YAML config: `s3://bucket/key`, `ssm:/parameter/name`, or a path inside the
   * Lambda package (bundled). Default: `s3://<facts bucket>/<root>/config/bedrock-cost.yaml`.
   */
  configUri?: string;
  /** Regions the quarterly review may call CloudWatch GetMetricData in (default: the stack's region). */
  metricRegions?: string[];
  /** Directory holding the packaged Lambda code (see infra/lambda-package/README.md). */
  lambdaPackageDir: string;
  /** Synthesize even when the package directory has no handlers (offline synth and tests only). */
  allowUnpackagedCode: boolean;
  /** The functions' instruction set; the package's DuckDB binding must be built for it (make package ARCH=). */
  lambdaArchitecture: LambdaArchitecture;
}

export const DEFAULTS = {
  factsRoot: 'bedrock-cost',
  engine: 'duckdb' as Engine,
  // Wednesday, not Monday: a day counts in the digest once it is final (D+2 after the newest usage hour),
  // and CUR lags up to a day, so Sunday of the previous ISO week is final by Wednesday morning.
  weeklyDigestSchedule: 'cron(0 8 ? * WED *)',
  // The 15th of the month after each quarter: CUR restates the previous month for about two weeks, so
  // the quarter's commitment hours and costs are final by then.
  quarterlyReviewSchedule: 'cron(0 9 15 JAN,APR,JUL,OCT ? *)',
  // Five past every hour: the last hour's CloudWatch datapoints have arrived (config early_warning.settle_minutes).
  earlyWarningSchedule: 'cron(5 * * * ? *)',
  scheduleTimeZone: 'UTC',
  // 100 GiB caps a runaway query at about $0.50 (Athena: $5 per TB scanned) and still fits one billing
  // period of a large organization's CUR 2.0 Parquet, of which stage 1 reads ~25 columns.
  athenaBytesScannedCutoff: 100 * 1024 ** 3,
  glueDatabaseName: 'bedrock_cost',
  athenaWorkGroupName: 'bedrock-cost',
  curGlueTable: 'cur',
  // Graviton: about 20% cheaper per GB-second than x86_64, and DuckDB publishes a linux-arm64 binding.
  lambdaArchitecture: 'arm64' as LambdaArchitecture,
} as const;

/** Athena's own floor for BytesScannedCutoffPerQuery. */
const ATHENA_MIN_CUTOFF = 10_000_000;

export class SettingsError extends Error {
  override name = 'SettingsError';
}

/**
 * Characters that S3 event notifications leave unchanged when they URL-encode object keys, so the
 * EventBridge key pattern and the IAM resource ARNs match the keys AWS actually writes.
 */
const KEY_SEGMENTS = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const GLUE_NAME = /^[a-z0-9_]{1,255}$/;
const WORKGROUP_NAME = /^[A-Za-z0-9._-]{1,128}$/;
const SCHEDULE = /^(cron|rate)\(.+\)$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+$/;
const TIME_ZONE = /^[A-Za-z]+(?:[/_+-][A-Za-z0-9]+)*$/;

export type ContextReader = (key: string) => unknown;

/**
 * Settings from CDK context. `-c key=value` gives strings, cdk.json gives JSON values: both are accepted.
 * `defaults.lambdaPackageDir` is the package directory to use when the context names none.
 */
export function settingsFromContext(
  read: ContextReader,
  defaults: { lambdaPackageDir: string },
): BedrockCostSettings {
  const curBucketName = required(read, 'curBucketName');
  const curExportName = required(read, 'curExportName');
  const settings: BedrockCostSettings = {
    cur: {
      bucketName: curBucketName,
      prefix: optionalString(read, 'curPrefix') ?? '',
      exportName: curExportName,
      manageEventBridge: bool(read, 'manageCurBucketEventBridge', true),
      glueDatabase:
        optionalString(read, 'curGlueDatabase') ??
        optionalString(read, 'glueDatabaseName') ??
        DEFAULTS.glueDatabaseName,
      glueTable: optionalString(read, 'curGlueTable') ?? DEFAULTS.curGlueTable,
    },
    factsRoot: optionalString(read, 'factsRoot') ?? DEFAULTS.factsRoot,
    engine: engine(optionalString(read, 'engine') ?? DEFAULTS.engine),
    weeklyDigestSchedule: optionalString(read, 'weeklyDigestSchedule') ?? DEFAULTS.weeklyDigestSchedule,
    quarterlyReviewSchedule:
      optionalString(read, 'quarterlyReviewSchedule') ?? DEFAULTS.quarterlyReviewSchedule,
    earlyWarningSchedule: optionalString(read, 'earlyWarningSchedule') ?? DEFAULTS.earlyWarningSchedule,
    scheduleTimeZone: optionalString(read, 'scheduleTimeZone') ?? DEFAULTS.scheduleTimeZone,
    athenaBytesScannedCutoff: integer(read, 'athenaBytesScannedCutoff', DEFAULTS.athenaBytesScannedCutoff),
    glueDatabaseName: optionalString(read, 'glueDatabaseName') ?? DEFAULTS.glueDatabaseName,
    athenaWorkGroupName: optionalString(read, 'athenaWorkGroupName') ?? DEFAULTS.athenaWorkGroupName,
    lambdaPackageDir: optionalString(read, 'lambdaPackageDir') ?? defaults.lambdaPackageDir,
    allowUnpackagedCode: bool(read, 'allowUnpackagedCode', false),
    lambdaArchitecture: architecture(
      optionalString(read, 'lambdaArchitecture') ?? DEFAULTS.lambdaArchitecture,
    ),
  };
  const kmsKeyArn = optionalString(read, 'curKmsKeyArn');
  if (kmsKeyArn !== undefined) settings.cur.kmsKeyArn = kmsKeyArn;
  const slackChannel = optionalString(read, 'slackChannel');
  if (slackChannel !== undefined) settings.slackChannel = slackChannel;
  const slackTeamId = optionalString(read, 'slackTeamId');
  if (slackTeamId !== undefined) settings.slackTeamId = slackTeamId;
  const alertEmail = optionalString(read, 'alertEmail');
  if (alertEmail !== undefined) settings.alertEmail = alertEmail;
  const configUri = optionalString(read, 'configUri');
  if (configUri !== undefined) settings.configUri = configUri;
  const metricRegions = list(read, 'metricRegions');
  if (metricRegions !== undefined) settings.metricRegions = metricRegions;
  validateSettings(settings);
  return settings;
}

/** Throws a SettingsError naming every invalid setting (all at once, not one per synth). */
export function validateSettings(s: BedrockCostSettings): void {
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };
  check(BUCKET_NAME.test(s.cur.bucketName), `curBucketName "${s.cur.bucketName}" is not an S3 bucket name`);
  check(
    s.cur.prefix === '' || KEY_SEGMENTS.test(s.cur.prefix),
    `curPrefix "${s.cur.prefix}" must be '/'-separated segments of letters, digits, '.', '_' and '-' ` +
      '(no leading/trailing slash): S3 events URL-encode other characters, and the manifest filter would miss them',
  );
  check(
    /^[A-Za-z0-9._-]+$/.test(s.cur.exportName),
    `curExportName "${s.cur.exportName}" must be letters, digits, '.', '_' and '-'`,
  );
  check(
    KEY_SEGMENTS.test(s.factsRoot),
    `factsRoot "${s.factsRoot}" must be '/'-separated segments of letters, digits, '.', '_' and '-'`,
  );
  check(
    s.cur.kmsKeyArn === undefined || KMS_KEY_ARN.test(s.cur.kmsKeyArn),
    `curKmsKeyArn "${s.cur.kmsKeyArn}" is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)`,
  );
  for (const [key, value] of [
    ['glueDatabaseName', s.glueDatabaseName],
    ['curGlueDatabase', s.cur.glueDatabase],
    ['curGlueTable', s.cur.glueTable],
  ] as const) {
    check(
      GLUE_NAME.test(value),
      `${key} "${value}" must be lower-case letters, digits and '_' (Athena folds case)`,
    );
  }
  check(
    WORKGROUP_NAME.test(s.athenaWorkGroupName),
    `athenaWorkGroupName "${s.athenaWorkGroupName}" must be 1-128 letters, digits, '.', '_' or '-'`,
  );
  for (const [key, value] of [
    ['weeklyDigestSchedule', s.weeklyDigestSchedule],
    ['quarterlyReviewSchedule', s.quarterlyReviewSchedule],
    ['earlyWarningSchedule', s.earlyWarningSchedule],
  ] as const) {
    check(
      SCHEDULE.test(value),
      `${key} "${value}" must be an EventBridge Scheduler cron(...) or rate(...) expression`,
    );
  }
  check(
    TIME_ZONE.test(s.scheduleTimeZone),
    `scheduleTimeZone "${s.scheduleTimeZone}" is not an IANA time zone`,
  );
  check(
    Number.isSafeInteger(s.athenaBytesScannedCutoff) && s.athenaBytesScannedCutoff >= ATHENA_MIN_CUTOFF,
    `athenaBytesScannedCutoff ${s.athenaBytesScannedCutoff} must be an integer of at least ${ATHENA_MIN_CUTOFF} bytes (Athena's minimum)`,
  );
  check(
    s.alertEmail === undefined || EMAIL.test(s.alertEmail),
    `alertEmail "${s.alertEmail}" is not an e-mail address`,
  );
  check(
    s.slackChannel === undefined || /^[#@]?[A-Za-z0-9._-]{1,80}$/.test(s.slackChannel),
    `slackChannel "${s.slackChannel}" is not a Slack channel name or id`,
  );
  check(
    s.slackTeamId === undefined || /^[A-Z0-9]{2,32}$/.test(s.slackTeamId),
    `slackTeamId "${s.slackTeamId}" is not a Slack workspace id (e.g. T0123ABCD)`,
  );
  for (const region of s.metricRegions ?? [])
    check(REGION.test(region), `metricRegions: "${region}" is not a region`);
  check(
    s.metricRegions === undefined || s.metricRegions.length > 0,
    'metricRegions must name at least one region when set',
  );
  if (s.configUri !== undefined) {
    check(
      /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+/.test(s.configUri) ||
        /^ssm:\/[A-Za-z0-9_./-]+$/.test(s.configUri) ||
        /^[A-Za-z0-9_.-][A-Za-z0-9_./-]*$/.test(s.configUri),
      `configUri "${s.configUri}" must be s3://bucket/key, ssm:/parameter/name or a path inside the Lambda package`,
    );
  }
  if (problems.length > 0) {
    throw new SettingsError(`invalid bedrock-cost settings:\n  - ${problems.join('\n  - ')}`);
  }
}

function raw(read: ContextReader, key: string): unknown {
  const value = read(key);
  return value === '' ? undefined : value;
}

function required(read: ContextReader, key: string): string {
  const value = optionalString(read, key);
  if (value === undefined) {
    throw new SettingsError(`missing context "${key}": pass -c ${key}=... to cdk (see infra/README.md)`);
  }
  return value;
}

function optionalString(read: ContextReader, key: string): string | undefined {
  const value = raw(read, key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new SettingsError(`context "${key}" must be a string`);
  return value.trim() === '' ? undefined : value.trim();
}

function bool(read: ContextReader, key: string, fallback: boolean): boolean {
  const value = raw(read, key);
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new SettingsError(`context "${key}" must be true or false`);
}

function integer(read: ContextReader, key: string, fallback: number): number {
  const value = raw(read, key);
  if (value === undefined || value === null) return fallback;
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isSafeInteger(n)) throw new SettingsError(`context "${key}" must be a whole number`);
  return n;
}

function list(read: ContextReader, key: string): string[] | undefined {
  const value = raw(read, key);
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
  }
  throw new SettingsError(`context "${key}" must be a list of strings or a comma-separated string`);
}

function architecture(value: string): LambdaArchitecture {
  if ((LAMBDA_ARCHITECTURES as readonly string[]).includes(value)) return value as LambdaArchitecture;
  throw new SettingsError(`context "lambdaArchitecture" must be arm64 or x86_64, not "${value}"`);
}

function engine(value: string): Engine {
  if (value === 'duckdb' || value === 'athena') return value;
  throw new SettingsError(`context "engine" must be duckdb or athena, not "${value}"`);
}
