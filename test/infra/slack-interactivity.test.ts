import { describe, expect, it } from 'vitest';
import { validateSettings } from '../../infra/lib/settings.js';
import {
  type CfnTemplate,
  logicalId,
  policyDocuments,
  render,
  rendered,
  resourcesOf,
  roleStatements,
  synth,
  testSettings,
} from './helpers.js';

const TEAM = 'T0123ABCD';

function typeCounts(json: CfnTemplate): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of Object.values(json.Resources)) counts[r.Type] = (counts[r.Type] ?? 0) + 1;
  return counts;
}

describe('Slack interactivity in the stack', () => {
  it('is deployed only with slackTeamId: one function, its role, logs, signing secret, URL and URL permission', () => {
    // Prepare
    const without = synth();
    // Act
    const withTeam = synth(testSettings({ slackTeamId: TEAM }));
    // Assess
    expect(without.stack.slackInteractivity).toBeUndefined();
    expect(typeCounts(without.json)['AWS::Lambda::Url']).toBeUndefined();
    const before = typeCounts(without.json);
    const after = typeCounts(withTeam.json);
    const added = Object.fromEntries(
      Object.keys(after)
        .filter((k) => after[k] !== before[k])
        .map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)]),
    );
    expect(added).toEqual({
      'AWS::Lambda::Function': 1,
      'AWS::IAM::Role': 1,
      'AWS::IAM::Policy': 1,
      'AWS::Logs::LogGroup': 1,
      'AWS::SecretsManager::Secret': 1,
      'AWS::Lambda::Url': 1,
      // Public invoke through the URL: lambda:InvokeFunctionUrl and (required since 2025) lambda:InvokeFunction.
      'AWS::Lambda::Permission': 2,
    });
  }, 240_000);

  it('a small function with its own environment: state table, both secrets, the team id', () => {
    const { stack, json } = synth(testSettings({ slackTeamId: TEAM }));
    const si = stack.slackInteractivity!;
    const fn = json.Resources[logicalId(stack, si.fn)]!;
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Handler: 'dist/handlers/slack-interactivity.handler',
      MemorySize: 256,
      Timeout: 10,
    });
    const env = (fn.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
    const text = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, render(v)]));
    expect(text).toMatchObject({
      BEDROCK_COST_STATE_TABLE: rendered(stack, stack.stateTable.tableName),
      BEDROCK_COST_SLACK_SIGNING_SECRET_ARN: rendered(stack, si.signingSecret.secretArn),
      BEDROCK_COST_SLACK_SECRET_ARN: rendered(stack, stack.slackSecret.secretArn),
      BEDROCK_COST_SLACK_TEAM_ID: TEAM,
    });
    // Nothing of the pipeline: no fact store, config, topic.
    expect(Object.keys(text).filter((k) => /STORE$|CONFIG|TOPIC/.test(k))).toEqual([]);
  });

  it('its URL has auth NONE (Slack signs requests instead) and is an output', () => {
    const { stack, json } = synth(testSettings({ slackTeamId: TEAM }));
    const urls = Object.values(json.Resources).filter((r) => r.Type === 'AWS::Lambda::Url');
    expect(urls).toHaveLength(1);
    expect(urls[0]!.Properties).toMatchObject({
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [logicalId(stack, stack.slackInteractivity!.fn), 'Arn'] },
    });
    const permissions = Object.values(json.Resources).filter((r) => r.Type === 'AWS::Lambda::Permission');
    expect(permissions.map((p) => p.Properties?.Action).sort()).toEqual([
      'lambda:InvokeFunction',
      'lambda:InvokeFunctionUrl',
    ]);
    const outputs = json.Outputs as Record<string, unknown>;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['SlackInteractivityUrl', 'SlackSigningSecretArn']),
    );
  });

  it('least privilege: its own logs, get/put of its own state items, and the two Slack secrets only', () => {
    const { stack, json } = synth(testSettings({ slackTeamId: TEAM }));
    const si = stack.slackInteractivity!;
    const statements = roleStatements(json, logicalId(stack, si.fn.role!));
    expect(
      statements.map((s) => ({
        Sid: s.Sid,
        Action: s.Action,
        Resource: resourcesOf(s),
        Condition: s.Condition,
      })),
    ).toEqual([
      {
        Sid: 'WriteOwnLogs',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [rendered(stack, si.fn.logGroup.logGroupArn)],
        Condition: undefined,
      },
      {
        Sid: 'RecordSlackActions',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        Resource: [rendered(stack, stack.stateTable.tableArn)],
        Condition: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': ['silences', 'condition-acks', 'feedback', 'slack-seen#*'],
          },
        },
      },
      {
        Sid: 'ReadSlackSecrets',
        Action: 'secretsmanager:GetSecretValue',
        Resource: [rendered(stack, si.signingSecret.secretArn), rendered(stack, stack.slackSecret.secretArn)],
        Condition: undefined,
      },
    ]);
    // No wildcard resource anywhere in its role's policy.
    const docs = policyDocuments(json).filter((d) => d.where.startsWith(logicalId(stack, si.fn.role!)));
    for (const d of docs) for (const s of d.statements) expect(resourcesOf(s)).not.toContain('*');
  });

  it('refuses a team id that is not a Slack workspace id', () => {
    expect(() => validateSettings(testSettings({ slackTeamId: 'not a team' }))).toThrow(/slackTeamId/);
  });
});
