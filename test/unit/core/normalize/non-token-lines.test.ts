import { describe, expect, it } from 'vitest';
import { toDailyFacts } from '../../../../src/core/normalize/to-daily-facts.js';
import { normalizeContext, stage1Row } from './fixtures.js';

const ctx = normalizeContext();

describe('non-token Bedrock lines', () => {
  it.each([
    // [usage type, pricing unit, usage kind, resource kind, model]
    ['USE1-Guardrail-ContentPolicyUnitsConsumed', 'TextUnit', 'guardrail', 'guardrail', 'feature:guardrails'],
    ['USE1-Bedrock-Websearch-Queries', 'Queries', 'web_search', 'feature', 'feature:web-search'],
    [
      'USE1-DataAutomation-Custom-PagesProcessed',
      'Pages',
      'data_automation',
      'data-automation',
      'feature:data-automation',
    ],
    ['USW2-AmazonRerank-v1-searchunits', 'Search Units', 'rerank', 'feature', 'amazon.rerank-v1'],
    [
      'USE1-NovaMicro-Customization-Training',
      '1K tokens',
      'customization_training',
      'customization',
      'amazon.nova-micro',
    ],
    [
      'USE1-NovaMicro-Customization-Storage',
      'Model/month',
      'customization_storage',
      'customization',
      'amazon.nova-micro',
    ],
    [
      'USE1-NovaReel-HDResolution-output-seconds',
      'Seconds',
      'video_generation',
      'media-generation',
      'amazon.nova-reel',
    ],
    [
      'APN1-NovaCanvas-T2I-1024-Standard',
      'Images',
      'image_generation',
      'media-generation',
      'amazon.nova-canvas',
    ],
    [
      'USE1-NovaMultiModalEmbeddings-input-video-second',
      'Seconds',
      'media_input',
      'feature',
      'amazon.nova-2-multimodal-embeddings',
    ],
    [
      'USE1-TitanEmbeddingsG1-Image-input-image',
      'Images Processed',
      'media_input',
      'feature',
      'amazon.titan-embed-image-v1',
    ],
  ])(
    '%s: own usage and resource kind, no tokens',
    (usageType, pricingUnit, usageKind, resourceKind, model) => {
      const { facts, warnings } = toDailyFacts(
        [stage1Row({ usageType, pricingUnit, usageAmount: '7' })],
        ctx,
      );
      expect(facts.map((f) => [f.usageKind, f.resourceKind, f.model, f.tokens])).toEqual([
        [usageKind, resourceKind, model, 0],
      ]);
      expect(warnings.unknownModels.size).toBe(0);
      expect(warnings.unknownUsageTypes.size).toBe(0);
    },
  );

  it('warns of no unknown model for a Marketplace media dimension that names no product', () => {
    const row = stage1Row({
      usageType: 'USE1-MP:USE1_InputImageCount-Units',
      billingEntity: 'AWS Marketplace',
      productCode: 'AmazonBedrockFoundationModels',
      productName: null,
      pricingUnit: 'Units',
    });
    const { facts, warnings } = toDailyFacts([row], ctx);
    expect(facts[0]).toMatchObject({ usageKind: 'media_input', model: 'feature:media-input', tokens: 0 });
    expect(warnings.unknownModels.size).toBe(0);
  });

  it('keeps the ARN resource kind of a guardrail or knowledge base line', () => {
    const { facts } = toDailyFacts(
      [
        stage1Row({
          usageType: 'USE1-Guardrail-TopicPolicyUnitsConsumed',
          resourceId: 'arn:aws:bedrock:us-east-1:111122223333:guardrail/gr-123',
        }),
      ],
      ctx,
    );
    expect(facts[0]).toMatchObject({
      resourceKind: 'guardrail',
      resourceId: 'arn:aws:bedrock:us-east-1:111122223333:guardrail/gr-123',
    });
  });
});
