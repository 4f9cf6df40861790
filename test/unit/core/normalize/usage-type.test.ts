import { describe, expect, it } from 'vitest';
import { toDailyFacts } from '../../../../src/core/normalize/to-daily-facts.js';
import { parseUsageType } from '../../../../src/core/normalize/usage-type.js';
import { normalizeContext, stage1Row } from './fixtures.js';
import { USAGE_TYPE_CASES } from './usage-type-cases.js';

const ctx = normalizeContext();

describe('usage-type classification (every spelling in the reference)', () => {
  it.each(USAGE_TYPE_CASES.map((c) => [`${c.usageType} (${c.source})`, c] as const))('%s', (_name, c) => {
    // Prepare: one unit of usage, so tokens equal the multiplier
    const row = stage1Row({ usageType: c.usageType, usageAmount: '1', ...c.row });

    // Act
    const parsed = parseUsageType(row.usageType, row.productCode);
    const { facts, warnings } = toDailyFacts([row], ctx);

    // Assess
    expect(facts).toHaveLength(1);
    const fact = facts[0]!;
    expect({
      usageKind: fact.usageKind,
      serviceTier: fact.serviceTier,
      routing: fact.routing,
      model: fact.model,
      tokens: fact.tokens,
    }).toEqual({
      usageKind: c.usageKind,
      serviceTier: c.serviceTier,
      routing: c.routing,
      model: c.model,
      tokens: c.multiplier ?? 0,
    });
    expect(parsed.context === 'long').toBe(c.longContext ?? false);
    expect(parsed.family).not.toBe('unrecognised');
    expect(warnings.unknownUsageTypes.size).toBe(0);
    if (c.region !== undefined) expect(fact.region).toBe(c.region);
    if (c.model.startsWith('unknown:')) {
      expect([...warnings.unknownModels.keys()]).toEqual([c.model.slice('unknown:'.length)]);
    } else {
      expect(warnings.unknownModels.size).toBe(0);
      expect(fact.modelTier === 'unknown').toBe(c.model.startsWith('feature:'));
    }
  });
});

describe('parseUsageType', () => {
  it.each([
    ['USE1-Claude4.6Sonnet-input-tokens', 'USE1', 'Claude4.6Sonnet'],
    ['USE1-Qwen3-32B-ProvisionedThroughput-NoCommit-ModelUnits', 'USE1', 'Qwen3-32B'],
    ['USW2-Mistral-Large-3-675b-Instruct-input-tokens-batch', 'USW2', 'Mistral-Large-3-675b-Instruct'],
    ['Llama4-Maverick-17B-input-tokens-batch', '', 'Llama4-Maverick-17B'],
    ['USE1-openai.gpt-oss-120b-mantle-input-tokens-standard', 'USE1', 'openai.gpt-oss-120b'],
    ['USE1-Nova2.0Lite-Customization-Storage', 'USE1', 'Nova2.0Lite'],
    ['USE1-OSS-CustomModelImport-Inference-v1:0', 'USE1', 'OSS'],
    ['USW2-MP:USW2_InputTokenCount-Units', 'USW2', ''],
    ['EU-Nova2.0Lite-input-tokens', 'EU', 'Nova2.0Lite'],
  ])('%s → prefix %s, model token %s', (usageType, regionCode, modelToken) => {
    const parsed = parseUsageType(usageType);
    expect([parsed.regionCode, parsed.modelToken]).toEqual([regionCode, modelToken]);
  });

  it('reads tier and kind words only after the model, so a model name cannot look like a tier', () => {
    // "1h" inside a hypothetical model name must not make a 5-minute write a 1-hour write
    const parsed = parseUsageType('USE1-Claude5.1Haiku-cache-write-input-token-count');
    expect([parsed.modelToken, parsed.usageKind]).toEqual(['Claude5.1Haiku', 'cache_write']);
  });

  it.each(['', '   ', 'USE1-', '-', 'Tax', 'USE1-DataTransfer-Out-Bytes', 'MP:', 'USE1-MP:'])(
    'marks %j as unrecognised with usage kind other',
    (usageType) => {
      const parsed = parseUsageType(usageType);
      expect([parsed.family, parsed.usageKind]).toEqual(['unrecognised', 'other']);
    },
  );
});
