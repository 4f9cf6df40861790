import { describe, expect, it } from 'vitest';
import { buildModelCatalog } from '../../../../src/core/normalize/model-catalog.js';
import {
  identityFromDottedId,
  identityFromName,
  tierFromFamilyWords,
} from '../../../../src/core/normalize/model-identity.js';
import { resolveModel } from '../../../../src/core/normalize/resolve-model.js';
import { parseResource } from '../../../../src/core/normalize/resource.js';
import { parseUsageType } from '../../../../src/core/normalize/usage-type.js';

describe('model identity without a catalog entry', () => {
  it.each([
    // mantle / dotted ids are canonical as they stand; provider = the prefix before the dot
    ['xai.grok-4.3', 'xai.grok-4.3', 'xai', 'grok'],
    ['deepseek.v3.2', 'deepseek.v3.2', 'deepseek', 'deepseek'],
    ['moonshotai.kimi-k3', 'moonshotai.kimi-k3', 'moonshotai', 'kimi'],
    ['nvidia.nemotron-nano-9b-v2', 'nvidia.nemotron-nano-9b-v2', 'nvidia', 'nemotron'],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-sonnet-4-5', 'anthropic', 'claude'],
    // Marketplace product names
    ['Claude Opus 5', 'anthropic.claude-opus-5', 'anthropic', 'claude'],
    ['Claude Sonnet 5.5', 'anthropic.claude-sonnet-5-5', 'anthropic', 'claude'],
    ['Claude 3.5 Sonnet v2', 'anthropic.claude-3-5-sonnet-v2', 'anthropic', 'claude'],
    ['OpenAI GPT-6 Astra', 'openai.gpt-6-astra', 'openai', 'gpt'],
    ['Kimi K3', 'moonshotai.kimi-k3', 'moonshotai', 'kimi'],
    ['Grok 4.3', 'xai.grok-4.3', 'xai', 'grok'],
    ['Llama 3.1 405B Instruct', 'meta.llama3-1-405b-instruct', 'meta', 'llama'],
    // first-party legacy tokens reach the same canonical form as the mantle / Marketplace spellings
    ['Claude4.6Sonnet', 'anthropic.claude-sonnet-4-6', 'anthropic', 'claude'],
    ['Claude3-5Haiku', 'anthropic.claude-3-5-haiku', 'anthropic', 'claude'],
    ['Claude2.0', 'anthropic.claude-v2', 'anthropic', 'claude'],
    ['Nova2.0Lite', 'amazon.nova-2-lite', 'amazon', 'nova'],
    ['NovaMicro', 'amazon.nova-micro', 'amazon', 'nova'],
    ['TitanEmbeddingV2-Text', 'amazon.titan-embed-text-v2', 'amazon', 'titan'],
    ['TitanTextG1-Express', 'amazon.titan-text-express', 'amazon', 'titan'],
    ['Llama3-1-405B', 'meta.llama3-1-405b-instruct', 'meta', 'llama'],
    ['Llama4-Maverick-17B', 'meta.llama4-maverick-17b-instruct', 'meta', 'llama'],
    ['Mistral-Large-3-675b-Instruct', 'mistral.mistral-large-3-675b-instruct', 'mistral', 'mistral'],
    ['gpt-oss-120b', 'openai.gpt-oss-120b', 'openai', 'gpt'],
    ['GPT-OSS-Safeguard-20B', 'openai.gpt-oss-safeguard-20b', 'openai', 'gpt'],
    ['Gemma-3-4B-IT', 'google.gemma-3-4b-it', 'google', 'gemma'],
    ['DeepSeek-R1', 'deepseek.r1', 'deepseek', 'deepseek'],
  ])('%s → %s', (text, id, provider, family) => {
    expect(identityFromName(text)).toEqual({ id, provider, family });
  });

  it('gives no identity to a string without a vendor family word', () => {
    expect(identityFromName('Zorblax7')).toBeNull();
    expect(identityFromName('Some Future Model')).toBeNull();
    expect(identityFromName('')).toBeNull();
    expect(identityFromDottedId('not a model id')).toBeNull();
  });

  it.each([
    ['anthropic.claude-opus-5', 'premium'],
    ['amazon.nova-2-pro', 'premium'],
    ['mistral.mistral-large-3', 'premium'],
    ['amazon.nova-premier-2', 'premium'],
    ['anthropic.claude-haiku-5', 'economy'],
    ['amazon.nova-2-lite', 'economy'],
    ['nvidia.nemotron-nano-9b-v2', 'economy'],
    ['mistral.voxtral-mini-3b', 'economy'],
    ['mistral.magistral-small-2509', 'economy'],
    ['mistral.ministral-3-8b-instruct', 'standard'],
    ['xai.grok-4.3', 'standard'],
    ['deepseek.v3.2', 'standard'],
  ])('tier of %s from its family words: %s', (id, tier) => {
    expect(tierFromFamilyWords(id)).toBe(tier);
  });
});

describe('resolveModel with a catalog that lacks the model', () => {
  const catalog = buildModelCatalog(
    [
      {
        id: 'anthropic.claude-sonnet-4-6',
        family: 'claude',
        provider: 'anthropic',
        tier: 'standard',
        usage_type_tokens: [],
        marketplace_names: [],
      },
    ],
    { 'xai.grok-4.3': 'economy', kimi: 'premium' },
  );
  const resolve = (usageType: string, productName: string | null = null) =>
    resolveModel(catalog, {
      parsed: parseUsageType(usageType),
      marketplace: productName !== null,
      productName,
      productCode: productName === null ? 'AmazonBedrock' : '4a524th30q694o538qndh9ucht',
      resource: parseResource(null),
      isTax: false,
    });

  it('finds a catalog model through its canonical id when no alias names the spelling', () => {
    expect(resolve('USE1-Claude4.6Sonnet-input-tokens')).toMatchObject({
      model: 'anthropic.claude-sonnet-4-6',
      tier: 'standard',
      unknownRaw: null,
    });
    expect(resolve('USE1-anthropic.claude-sonnet-4-6-mantle-input-tokens-standard').model).toBe(
      'anthropic.claude-sonnet-4-6',
    );
  });

  it('knows an uncatalogued mantle, Marketplace or legacy model, tier derived or set by config', () => {
    expect(resolve('USE1-anthropic.claude-opus-5-mantle-input-tokens-standard')).toMatchObject({
      model: 'anthropic.claude-opus-5',
      provider: 'anthropic',
      tier: 'premium',
      unknownRaw: null,
    });
    expect(
      resolve('USE1-MP:USE1_input_tokens_standard-Units', 'Claude Opus 5 (Amazon Bedrock Edition)').model,
    ).toBe('anthropic.claude-opus-5');
    expect(resolve('USE1-xai.grok-4.3-mantle-input-tokens-flex')).toMatchObject({
      model: 'xai.grok-4.3',
      tier: 'economy',
    });
    expect(resolve('USW2-moonshotai.kimi-k3-mantle-input-tokens-global-flex').tier).toBe('premium');
    expect(resolve('USE1-Llama3-1-70B-LatencyOptimized-input-tokens').model).toBe(
      'meta.llama3-1-70b-instruct',
    );
  });

  it('keeps a string no rule recognises as unknown:<raw>', () => {
    expect(resolve('USE1-Zorblax7-input-tokens')).toMatchObject({
      model: 'unknown:Zorblax7',
      tier: 'unknown',
      unknownRaw: 'Zorblax7',
    });
    expect(
      resolve('USE1-MP:USE1_InputTokenCount-Units', 'Some Future Model (Amazon Bedrock Edition)').model,
    ).toBe('unknown:Some Future Model');
  });
});

describe('usage-type grammar details', () => {
  it.each([
    [
      'USE1-Claude4Sonnet-cache-write-input-token-count-1-hour',
      'cache_write_1h',
      'standard',
      'in_region',
      'standard',
    ],
    [
      'USE1-anthropic.claude-sonnet-4-5-mantle-cache-write-tokens-1h-standard',
      'cache_write_1h',
      'standard',
      'in_region',
      'standard',
    ],
    [
      'USE1-MP:USE1_cache_write_tokens_1h_global_standard-Units',
      'cache_write_1h',
      'standard',
      'global',
      'standard',
    ],
    [
      'USE1-MP:USE1_CacheWrite1hInputTokenCount_Global-Units',
      'cache_write_1h',
      'standard',
      'global',
      'standard',
    ],
    [
      'USE1-MP:USE1_CacheWrite30mInputTokenCount-Units',
      'cache_write_30m',
      'standard',
      'in_region',
      'standard',
    ],
    [
      'USW2-moonshotai.kimi-k3-mantle-cache-write-tokens-30m-standard',
      'cache_write_30m',
      'standard',
      'in_region',
      'standard',
    ],
    ['USE1-MP:USE1_CacheWrite5mInputTokenCount-Units', 'cache_write', 'standard', 'in_region', 'standard'],
    ['USE1-NovaMicro-cache-write-input-token-count', 'cache_write', 'standard', 'in_region', 'standard'],
    [
      'USE1-Llama3-1-70B-LatencyOptimized-input-tokens',
      'input',
      'latency_optimized',
      'in_region',
      'standard',
    ],
    ['USE1-NovaPro-input-tokens-latency-optimized', 'input', 'latency_optimized', 'in_region', 'standard'],
    [
      'USE1-MP:USE1_InputTokenCount_LatencyOptimized-Units',
      'input',
      'latency_optimized',
      'in_region',
      'standard',
    ],
    [
      'USE1-Claude4Sonnet-input-tokens-long-context-cross-region-global',
      'input',
      'standard',
      'global',
      'long',
    ],
    [
      'USE1-openai.gpt-oss-120b-mantle-input-tokens-long-ctx-standard',
      'input',
      'standard',
      'in_region',
      'long',
    ],
    ['USE1-MP:USE1_input_tokens_long_ctx_standard-Units', 'input', 'standard', 'in_region', 'long'],
    ['USE1-Nova2.0Lite-input-tokens-flex-cross-region-global', 'input', 'flex', 'global', 'standard'],
    ['USE1-Claude4Sonnet-input-tokens-cross-region-global-batch', 'input', 'batch', 'global', 'standard'],
    ['USE1-NovaSonic-speech-input-tokens', 'input', 'standard', 'in_region', 'standard'],
    ['USE1-Nova2.0Omni-input-image-token-count', 'input', 'standard', 'in_region', 'standard'],
    ['USE1-MP:USE1_MillionBatchInputTokens-Units', 'input', 'batch', 'in_region', 'standard'],
    ['USE1-MP:USE1_Reserved_3Month_OutputTPM_Geo-Units', 'reserved_hours', 'reserved', 'geo', 'standard'],
    ['EU-MP:EU_cache_write_tokens_1h_standard-Units', 'cache_write_1h', 'standard', 'in_region', 'standard'],
  ])('%s', (usageType, usageKind, serviceTier, routing, context) => {
    expect(parseUsageType(usageType)).toMatchObject({ usageKind, serviceTier, routing, context });
  });

  it('cuts the model at a lower-case modality word and strips latency-optimized from it', () => {
    expect(parseUsageType('USE1-NovaSonic-speech-input-tokens').modelToken).toBe('NovaSonic');
    expect(parseUsageType('USE1-Nova2.0Pro-text-input-tokens').modelToken).toBe('Nova2.0Pro');
    expect(parseUsageType('USE1-TitanEmbeddingsG1-Image-input-image').modelToken).toBe(
      'TitanEmbeddingsG1-Image',
    );
    expect(parseUsageType('USE1-Llama3-1-70B-LatencyOptimized-input-tokens').modelToken).toBe('Llama3-1-70B');
    expect(parseUsageType('EU-MP:EU_cache_write_tokens_standard-Units').regionCode).toBe('EU');
  });
});
