import { Template } from 'aws-cdk-lib/assertions';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { buildStack, type CfnTemplate, policyDocuments, synth, testSettings } from './helpers.js';
import { policyViolations } from './policy-rules.js';

/**
 * Guards the whole template, not a list of known statements: every policy document found anywhere
 * (including ones a future resource type adds) must pass the least-privilege rules.
 */
describe('every policy document in the template', () => {
  const variants = {
    'default (DuckDB engine)': testSettings(),
    'Athena engine, KMS CUR bucket, SSM config, e-mail': testSettings({
      engine: 'athena',
      cur: {
        ...testSettings().cur,
        kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      },
      configUri: 'ssm:/bedrock-cost/config',
      alertEmail: 'oncall@example.com',
      metricRegions: ['us-east-1', 'us-west-2'],
    }),
    'EventBridge on the CUR bucket managed elsewhere': testSettings({
      cur: { ...testSettings().cur, manageEventBridge: false },
    }),
  };

  it.each(Object.entries(variants))('%s: has no wildcard or unscoped Allow', (_name, settings) => {
    const { json } = synth(settings);
    const documents = policyDocuments(json);
    // Roles' trust policies, the functions' policies, the backfill policy, bucket/queue/topic/key policies.
    expect(documents.length).toBeGreaterThanOrEqual(15);
    expect(policyViolations(documents)).toEqual([]);
  });

  it('finds documents of every kind that holds one', () => {
    const { json } = synth();
    const kinds = new Set(policyDocuments(json).map((d) => d.resourceType));
    expect([...kinds].sort()).toEqual([
      'AWS::IAM::ManagedPolicy',
      'AWS::IAM::Policy',
      'AWS::IAM::Role',
      'AWS::KMS::Key',
      'AWS::S3::BucketPolicy',
      'AWS::SNS::TopicPolicy',
      'AWS::SQS::QueuePolicy',
    ]);
  });

  describe('catches what it is there to catch', () => {
    it.each([
      ['*', 'wildcard action *'],
      ['s3:*', 'wildcard action s3:*'],
      ['dynamodb:*', 'wildcard action dynamodb:*'],
      ['s3:Get*', 'wildcard action s3:Get*'],
    ])('an added Allow of %s on a scoped resource', (action, expected) => {
      const { json } = withExtraStatement(
        new PolicyStatement({ actions: [action], resources: ['arn:aws:s3:::x/*'] }),
      );
      expect(policyViolations(policyDocuments(json)).join('\n')).toContain(expected);
    });

    it('an added Allow on resource *', () => {
      const { json } = withExtraStatement(
        new PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }),
      );
      expect(policyViolations(policyDocuments(json)).join('\n')).toContain('resource * for s3:GetObject');
    });

    it('an added NotAction', () => {
      const { json } = withExtraStatement(
        new PolicyStatement({ notActions: ['iam:PassRole'], resources: ['arn:aws:s3:::x/*'] }),
      );
      expect(policyViolations(policyDocuments(json)).join('\n')).toContain('Allow with NotAction');
    });

    it('a GetMetricData statement that lost its region condition', () => {
      const documents = [
        {
          where: 'Fake/PolicyDocument',
          resourceType: 'AWS::IAM::Policy',
          statements: [
            {
              Sid: 'ReadBedrockUtilizationMetrics',
              Effect: 'Allow' as const,
              Action: 'cloudwatch:GetMetricData',
              Resource: '*',
            },
          ],
        },
      ];
      expect(policyViolations(documents)).toEqual([
        'Fake/PolicyDocument statement ReadBedrockUtilizationMetrics: resource * for cloudwatch:GetMetricData',
      ]);
    });

    it('a public Allow in a resource policy', () => {
      const documents = [
        {
          where: 'Bucket/PolicyDocument',
          resourceType: 'AWS::S3::BucketPolicy',
          statements: [
            {
              Effect: 'Allow' as const,
              Principal: { AWS: '*' },
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::b/*',
            },
          ],
        },
      ];
      expect(policyViolations(documents)).toEqual([
        'Bucket/PolicyDocument statement 0: Allow to the anonymous principal *',
      ]);
    });

    it('a document nested where no known resource type keeps one', () => {
      const json: CfnTemplate = {
        Resources: {
          Odd: {
            Type: 'Custom::Thing',
            Properties: {
              Deep: { Nested: { Statement: [{ Effect: 'Allow', Action: 'sqs:*', Resource: 'arn:q' }] } },
            },
          },
        },
      };
      expect(policyViolations(policyDocuments(json))).toEqual([
        'Odd/Deep/Nested statement 0: wildcard action sqs:*',
      ]);
    });
  });
});

function withExtraStatement(statement: PolicyStatement): { json: CfnTemplate } {
  const stack = buildStack(testSettings());
  stack.weeklyDigestFunction.role!.addToPrincipalPolicy(statement);
  return { json: Template.fromStack(stack).toJSON() as CfnTemplate };
}
