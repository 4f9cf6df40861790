import { describe, expect, it } from 'vitest';
import { DEFAULTS, SettingsError, settingsFromContext } from '../../infra/lib/settings.js';

const PACKAGE_DIR = '/tmp/pkg';

function read(context: Record<string, unknown>) {
  return settingsFromContext((key) => context[key], { lambdaPackageDir: PACKAGE_DIR });
}

const REQUIRED = { curBucketName: 'my-cur-bucket', curExportName: 'bedrock-cost-cur2' };

describe('settings from CDK context', () => {
  it('fills every default from the two required keys', () => {
    expect(read(REQUIRED)).toEqual({
      cur: {
        bucketName: 'my-cur-bucket',
        prefix: '',
        exportName: 'bedrock-cost-cur2',
        manageEventBridge: true,
        glueDatabase: 'bedrock_cost',
        glueTable: 'cur',
      },
      factsRoot: 'bedrock-cost',
      engine: 'duckdb',
      weeklyDigestSchedule: DEFAULTS.weeklyDigestSchedule,
      quarterlyReviewSchedule: DEFAULTS.quarterlyReviewSchedule,
      earlyWarningSchedule: DEFAULTS.earlyWarningSchedule,
      scheduleTimeZone: 'UTC',
      athenaBytesScannedCutoff: 107_374_182_400,
      glueDatabaseName: 'bedrock_cost',
      athenaWorkGroupName: 'bedrock-cost',
      lambdaPackageDir: PACKAGE_DIR,
      allowUnpackagedCode: false,
      lambdaArchitecture: 'arm64',
    });
  });

  it('accepts the strings `cdk -c key=value` passes', () => {
    const s = read({
      ...REQUIRED,
      curPrefix: 'billing/cur',
      manageCurBucketEventBridge: 'false',
      allowUnpackagedCode: 'true',
      athenaBytesScannedCutoff: '53687091200',
      engine: 'athena',
      metricRegions: 'us-east-1, us-west-2',
      slackChannel: '#genai-costs',
      alertEmail: 'oncall@example.com',
      curKmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      configUri: 's3://config-bucket/bedrock-cost.yaml',
      curGlueDatabase: 'billing',
      curGlueTable: 'cur2',
      lambdaArchitecture: 'x86_64',
    });
    expect(s).toMatchObject({
      lambdaArchitecture: 'x86_64',
      cur: {
        prefix: 'billing/cur',
        manageEventBridge: false,
        glueDatabase: 'billing',
        glueTable: 'cur2',
        kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      },
      allowUnpackagedCode: true,
      athenaBytesScannedCutoff: 53_687_091_200,
      engine: 'athena',
      metricRegions: ['us-east-1', 'us-west-2'],
      slackChannel: '#genai-costs',
      alertEmail: 'oncall@example.com',
      configUri: 's3://config-bucket/bedrock-cost.yaml',
    });
  });

  it('accepts JSON values from cdk.json', () => {
    const s = read({
      ...REQUIRED,
      allowUnpackagedCode: true,
      athenaBytesScannedCutoff: 20_000_000,
      metricRegions: ['eu-west-1'],
    });
    expect(s).toMatchObject({
      allowUnpackagedCode: true,
      athenaBytesScannedCutoff: 20_000_000,
      metricRegions: ['eu-west-1'],
    });
  });

  it.each(['x64', 'amd64', 'aarch64'])(
    'refuses lambdaArchitecture=%s, naming the two values Lambda takes',
    (value) => {
      expect(() => read({ ...REQUIRED, lambdaArchitecture: value })).toThrow(
        `context "lambdaArchitecture" must be arm64 or x86_64, not "${value}"`,
      );
    },
  );

  it.each(['curBucketName', 'curExportName'])('requires %s', (key) => {
    const context: Record<string, unknown> = { ...REQUIRED };
    delete context[key];
    expect(() => read(context)).toThrow(new RegExp(`missing context "${key}"`));
  });

  it('names every invalid setting at once', () => {
    let error: unknown;
    try {
      read({
        curBucketName: 'My_Bucket',
        curExportName: 'bad name',
        curPrefix: 'has space/x',
        athenaBytesScannedCutoff: '1000',
        weeklyDigestSchedule: 'every monday',
        alertEmail: 'not-an-email',
        metricRegions: 'mars-1',
        glueDatabaseName: 'Bedrock-Cost',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    const message = (error as Error).message;
    for (const key of [
      'curBucketName',
      'curExportName',
      'curPrefix',
      'athenaBytesScannedCutoff',
      'weeklyDigestSchedule',
      'alertEmail',
      'metricRegions',
      'glueDatabaseName',
    ]) {
      expect(message).toContain(key);
    }
  });

  it.each([
    ['engine', 'spark', /engine" must be duckdb or athena/],
    ['manageCurBucketEventBridge', 'yes', /must be true or false/],
    ['athenaBytesScannedCutoff', '1e9', /must be a whole number/],
    ['curPrefix', '/leading', /curPrefix/],
    ['configUri', 'https://example.com/x.yaml', /configUri/],
    ['curKmsKeyArn', 'alias/cur', /curKmsKeyArn/],
  ])('rejects %s=%s', (key, value, message) => {
    expect(() => read({ ...REQUIRED, [key]: value })).toThrow(message);
  });
});
