import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../../src/config/schema.js';
import { InputError } from '../../../../src/core/errors.js';
import { parseMoney, parseQuantity } from '../../../../src/core/money.js';
import { toDailyFacts } from '../../../../src/core/normalize/to-daily-facts.js';
import { normalizeContext, stage1Row } from './fixtures.js';

const ctx = normalizeContext();

describe('toDailyFacts aggregation', () => {
  it('collapses standard and streaming operations into one fact with exact sums', () => {
    // Prepare: R1 split over the two 2026 operations
    const rows = [
      stage1Row({
        operation: 'InvokeModelInference',
        usageAmount: '12000.5',
        costUnblended: '0.72003',
        costNet: '0.7',
        lineItems: 20,
      }),
      stage1Row({
        operation: 'InvokeModelStreamingInference',
        usageAmount: '499.5',
        costUnblended: '0.02997',
        costNet: '0.05',
        lineItems: 4,
      }),
    ];

    // Act
    const { facts } = toDailyFacts(rows, ctx);

    // Assess
    expect(facts).toHaveLength(1);
    expect(facts[0]).toMatchObject({
      model: 'amazon.nova-lite',
      usageKind: 'input',
      tokens: 12_500_000,
      usageAmount: parseQuantity('12500'),
      costUnblended: parseMoney('0.75'),
      costNet: parseMoney('0.75'),
      lineItems: 24,
    });
  });

  it('keeps tax and credit rows as facts of usage kind other with their line item type', () => {
    const rows = [
      stage1Row({ usageType: 'USE1-NovaLite-input-tokens', costUnblended: '0.75', costNet: '0.75' }),
      stage1Row({
        usageType: 'USE1-NovaLite-input-tokens',
        lineItemType: 'Credit',
        costUnblended: '-0.5',
        costNet: '-0.5',
      }),
      stage1Row({
        usageType: '',
        lineItemType: 'Tax',
        pricingUnit: '',
        costUnblended: '1.8E-9',
        costNet: '1.8E-9',
      }),
      stage1Row({
        usageType: 'USE1-MP:USE1_InputTokenCount-Units',
        billingEntity: 'AWS Marketplace',
        productName: 'Claude Opus 4.6 (Amazon Bedrock Edition)',
        lineItemType: 'Credit',
        pricingUnit: 'Units',
        costUnblended: '-3',
        costNet: '-3',
      }),
    ];

    const { facts, warnings } = toDailyFacts(rows, ctx);

    const summary = facts.map((f) => [f.lineItemType, f.model, f.usageKind, f.tokens, f.costUnblended]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['Usage', 'amazon.nova-lite', 'input', 1000, parseMoney('0.75')],
        ['Credit', 'amazon.nova-lite', 'other', 0, parseMoney('-0.5')],
        ['Tax', 'none', 'other', 0, parseMoney('1.8E-9')],
        ['Credit', 'anthropic.claude-opus-4-6', 'other', 0, parseMoney('-3')],
      ]),
    );
    expect(facts).toHaveLength(4);
    expect(warnings.unknownUsageTypes.size).toBe(0);
  });

  it('fills facts from R1: attribution, account environment, resource kind, region', () => {
    const row = stage1Row({
      resourceId: 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6',
      resourceTags: [
        ['environment', 'prod'],
        ['workload', 'support-bot'],
      ],
      region: 'us-east-1',
      usageAmount: '12500.0',
      costUnblended: '0.75',
      costNet: '0.75',
    });

    const [fact] = toDailyFacts([row], ctx).facts;

    expect(fact).toMatchObject({
      usageAccountName: 'prod-genai',
      region: 'us-east-1',
      billingPath: 'first_party',
      model: 'amazon.nova-lite',
      modelFamily: 'nova',
      modelProvider: 'amazon',
      modelTier: 'economy',
      resourceKind: 'application-inference-profile',
      workload: 'support-bot',
      environment: 'prod',
      accountEnvironment: 'prod',
      attributionSource: 'resource_tag',
      tokens: 12_500_000,
      pricingUnit: '1K tokens',
      sourceExport: 'bedrock-cur',
      snapshotId: 'snap-0001',
    });
  });

  it('attributes R3 by IAM principal tag and keeps the principal', () => {
    const principal = 'arn:aws:sts::111122223333:assumed-role/support-bot-prod/i-0abc';
    const [fact] = toDailyFacts(
      [
        stage1Row({
          billingEntity: 'AWS Marketplace',
          productCode: 'opaque',
          productName: 'Claude Sonnet 4.6 (Amazon Bedrock Edition)',
          usageType: 'USE1-MP:USE1_CacheReadInputTokenCount_Global-Units',
          itemDescription: 'AWS Marketplace software usage|us-east-1|Million Cache Read Input Tokens Global',
          pricingUnit: 'Units',
          usageAmount: '42.0',
          costUnblended: '12.60',
          costNet: '12.60',
          iamPrincipal: principal,
          principalTags: [['team', 'support']],
        }),
      ],
      ctx,
    ).facts;
    expect(fact).toMatchObject({
      billingPath: 'marketplace',
      model: 'anthropic.claude-sonnet-4-6',
      usageKind: 'cache_read',
      routing: 'global',
      tokens: 42_000_000,
      team: 'support',
      workload: '__unallocated__',
      attributionSource: 'none',
      iamPrincipal: principal,
      region: 'us-east-1',
    });
  });

  it('falls back to the configured account name and keeps distinct principals apart', () => {
    const config = ConfigSchema.parse({ accounts: { '111122223333': { name: 'genai-dev' } } });
    const { facts } = toDailyFacts(
      [
        stage1Row({ usageAccountName: null, iamPrincipal: 'arn:aws:iam::111122223333:user/alice' }),
        stage1Row({ usageAccountName: '', iamPrincipal: 'arn:aws:iam::111122223333:user/bob' }),
      ],
      normalizeContext(config),
    );
    expect(facts.map((f) => [f.usageAccountName, f.accountEnvironment, f.iamPrincipal])).toEqual([
      ['genai-dev', 'non-prod', 'arn:aws:iam::111122223333:user/alice'],
      ['genai-dev', 'non-prod', 'arn:aws:iam::111122223333:user/bob'],
    ]);
  });

  it('reports unknown models, unrecognised usage types and assumed units with their cost', () => {
    const { facts, warnings } = toDailyFacts(
      [
        stage1Row({ usageType: 'USE1-Zorblax7-input-tokens', costUnblended: '1', lineItems: 2 }),
        stage1Row({ usageType: 'USE1-Zorblax7-output-tokens', costUnblended: '2', lineItems: 3 }),
        stage1Row({ usageType: 'USE1-Mystery-Thing', costUnblended: '0.5' }),
        stage1Row({ usageType: 'USE1-NovaLite-input-tokens', pricingUnit: null, costUnblended: '0.25' }),
      ],
      ctx,
    );
    expect(facts.map((f) => f.model)).toContain('unknown:Zorblax7');
    expect(warnings.unknownModels.get('Zorblax7')).toEqual({ lineItems: 5, cost: parseMoney('3') });
    expect(warnings.unknownUsageTypes.get('USE1-Mystery-Thing')).toEqual({
      lineItems: 1,
      cost: parseMoney('0.5'),
    });
    expect(warnings.unitFallbacks.get('|USE1-NovaLite-input-tokens')).toEqual({
      lineItems: 1,
      cost: parseMoney('0.25'),
    });
  });

  it('names the row when an amount is not a decimal', () => {
    expect(() => toDailyFacts([stage1Row({ costUnblended: 'abc' })], ctx)).toThrow(InputError);
    expect(() => toDailyFacts([stage1Row({ costUnblended: 'abc' })], ctx)).toThrow(
      /USE1-NovaLite-input-tokens/,
    );
  });

  it('returns nothing for nothing', () => {
    expect(toDailyFacts([], ctx).facts).toEqual([]);
  });
});
