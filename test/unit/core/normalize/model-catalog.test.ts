import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCatalogFile, readCatalogFile } from '../../../../src/config/catalog-file.js';
import { BUNDLED_CATALOG_PATH, loadModelCatalog } from '../../../../src/config/model-catalog.js';
import { ConfigSchema } from '../../../../src/config/schema.js';
import { ConfigError } from '../../../../src/core/errors.js';
import {
  buildModelCatalog,
  resolveMarketplaceName,
  resolveResourceModelId,
  resolveUsageTypeToken,
} from '../../../../src/core/normalize/model-catalog.js';
import { CATALOG } from './fixtures.js';

describe('bundled catalog', () => {
  it('is valid: unique ids, and every token and name belongs to one model', () => {
    expect(readCatalogFile(BUNDLED_CATALOG_PATH).length).toBeGreaterThan(50);
  });

  it.each([
    // every model named in the reference, by a spelling seen in usage types or product names
    ['Claude3Haiku', 'anthropic.claude-3-haiku', 'economy'],
    ['Claude3.5Haiku', 'anthropic.claude-3-5-haiku', 'economy'],
    ['Claude3.5Sonnet', 'anthropic.claude-3-5-sonnet', 'standard'],
    ['Claude3.7Sonnet', 'anthropic.claude-3-7-sonnet', 'standard'],
    ['Claude4Sonnet', 'anthropic.claude-sonnet-4', 'standard'],
    ['Claude4.5Sonnet', 'anthropic.claude-sonnet-4-5', 'standard'],
    ['Claude4.6Sonnet', 'anthropic.claude-sonnet-4-6', 'standard'],
    ['claude4.6sonnet', 'anthropic.claude-sonnet-4-6', 'standard'],
    ['Claude4Opus', 'anthropic.claude-opus-4', 'premium'],
    ['Claude4.1Opus', 'anthropic.claude-opus-4-1', 'premium'],
    ['Claude4.5Opus', 'anthropic.claude-opus-4-5', 'premium'],
    ['Claude4.6Opus', 'anthropic.claude-opus-4-6', 'premium'],
    ['Claude4.5Haiku', 'anthropic.claude-haiku-4-5', 'economy'],
    ['NovaMicro', 'amazon.nova-micro', 'economy'],
    ['NovaLite', 'amazon.nova-lite', 'economy'],
    ['NovaPro', 'amazon.nova-pro', 'standard'],
    ['NovaPremier', 'amazon.nova-premier', 'premium'],
    ['Nova2.0Lite', 'amazon.nova-2-lite', 'economy'],
    ['Nova2.0Omni', 'amazon.nova-2-omni', 'standard'],
    ['NovaCanvas', 'amazon.nova-canvas', 'standard'],
    ['NovaReel', 'amazon.nova-reel', 'standard'],
    ['NovaSonic', 'amazon.nova-sonic', 'economy'],
    ['TitanText-Express', 'amazon.titan-text-express', 'economy'],
    ['TitanText-Lite', 'amazon.titan-text-lite', 'economy'],
    ['TitanText-Premier', 'amazon.titan-text-premier', 'standard'],
    ['TitanEmbeddingsV2-Text', 'amazon.titan-embed-text-v2', 'economy'],
    ['Llama3.1-8B-Instruct', 'meta.llama3-1-8b-instruct', 'economy'],
    ['Llama3-1-8B-Instruct', 'meta.llama3-1-8b-instruct', 'economy'],
    ['Llama3.1-70B', 'meta.llama3-1-70b-instruct', 'standard'],
    ['Llama3.1-405B', 'meta.llama3-1-405b-instruct', 'premium'],
    ['Llama3.2-90B', 'meta.llama3-2-90b-instruct', 'standard'],
    ['Llama3.3-70B', 'meta.llama3-3-70b-instruct', 'standard'],
    ['Llama4-Maverick-17B', 'meta.llama4-maverick-17b-instruct', 'standard'],
    ['Llama4-Scout-17B', 'meta.llama4-scout-17b-instruct', 'economy'],
    ['Mistral-Large-3-675b-Instruct', 'mistral.mistral-large-3-675b-instruct', 'premium'],
    ['Mistral-Small', 'mistral.mistral-small', 'economy'],
    ['Mistral-7B', 'mistral.mistral-7b-instruct', 'economy'],
    ['Mixtral-8x7B', 'mistral.mixtral-8x7b-instruct', 'economy'],
    ['gpt-oss-20b', 'openai.gpt-oss-20b', 'economy'],
    ['openai.gpt-oss-120b', 'openai.gpt-oss-120b', 'standard'],
    ['Qwen3-32B', 'qwen.qwen3-32b', 'economy'],
    ['DeepSeek-R1', 'deepseek.r1', 'premium'],
    ['Ray-V2', 'luma.ray-v2', 'standard'],
  ])('usage-type token %s → %s (%s)', (token, id, tier) => {
    const model = resolveUsageTypeToken(CATALOG, token);
    expect([model?.id, model?.tier]).toEqual([id, tier]);
  });

  it.each([
    ['Claude 3.5 Sonnet (Amazon Bedrock Edition)', 'anthropic.claude-3-5-sonnet'],
    ['Claude Sonnet 4.6 (Amazon Bedrock Edition)', 'anthropic.claude-sonnet-4-6'],
    ['Claude 3 Haiku (Amazon Bedrock Edition)', 'anthropic.claude-3-haiku'],
    ['Claude Opus 4.6 (Amazon Bedrock Edition)', 'anthropic.claude-opus-4-6'],
    ['claude  sonnet 4.6 (amazon bedrock edition)', 'anthropic.claude-sonnet-4-6'],
    ['Claude 3.5 Sonnet v2', 'anthropic.claude-3-5-sonnet-v2'],
    ['Command R (Amazon Bedrock Edition)', 'cohere.command-r'],
    ['Command R+ (Amazon Bedrock Edition)', 'cohere.command-r-plus'],
    ['Command R Plus (Amazon Bedrock Edition)', 'cohere.command-r-plus'],
    ['Embed English (Amazon Bedrock Edition)', 'cohere.embed-english-v3'],
    ['Jamba 1.5 Large (Amazon Bedrock Edition)', 'ai21.jamba-1-5-large'],
    ['Stable Image Ultra (Amazon Bedrock Edition)', 'stability.stable-image-ultra'],
    ['Marengo Embed 2.7 (Amazon Bedrock Edition)', 'twelvelabs.marengo-embed-2-7'],
  ])('Marketplace product %j → %s', (name, id) => {
    expect(resolveMarketplaceName(CATALOG, name)?.id).toBe(id);
  });

  it.each([
    ['anthropic.claude-3-5-sonnet-20240620-v1:0', 'anthropic.claude-3-5-sonnet'],
    ['anthropic.claude-3-5-sonnet-20241022-v2:0', 'anthropic.claude-3-5-sonnet-v2'],
    ['us.meta.llama3-1-70b-instruct-v1:0/internal-genai-app-production-v2', 'meta.llama3-1-70b-instruct'],
    ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-sonnet-4-5'],
    ['amazon.nova-lite-v1:0', 'amazon.nova-lite'],
    ['amazon.titan-embed-text-v2:0', 'amazon.titan-embed-text-v2'],
    ['openai.gpt-oss-120b-1:0', 'openai.gpt-oss-120b'],
    ['mistral.mistral-large-2402-v1:0', 'mistral.mistral-large-2402'],
    ['anthropic.claude-sonnet-9-v1:0', undefined],
    ['', undefined],
  ])('resource model id %j → %s', (id, expected) => {
    expect(resolveResourceModelId(CATALOG, id)?.id).toBe(expected);
  });

  it.each([
    ['Ray-V2-Medfps-HDRes', 'luma.ray-v2'], // prefix at a '-' boundary
    ['NovaSonic-speech', 'amazon.nova-sonic'],
    ['Mistral-Large-4-900b', undefined], // a version after the prefix is a different model
    ['Qwen3-235B-A22B-2507', undefined],
    ['Claude4.6SonnetX', undefined],
    ['', undefined],
  ])('prefix fallback: %j → %s', (token, id) => {
    expect(resolveUsageTypeToken(CATALOG, token)?.id).toBe(id);
  });
});

describe('config extras', () => {
  it('adds new models and spellings, and overrides a bundled entry', () => {
    // Prepare
    const config = ConfigSchema.parse({
      models: [
        {
          id: 'acme.secret-model',
          family: 'acme',
          provider: 'acme',
          tier: 'premium',
          usage_type_tokens: ['AcmeSecret'],
        },
        {
          id: 'amazon.nova-lite',
          family: 'nova',
          provider: 'amazon',
          tier: 'standard',
          usage_type_tokens: ['NovaLiteV1'],
        },
        {
          id: 'anthropic.claude-opus-4-6',
          family: 'claude',
          provider: 'anthropic',
          tier: 'premium',
          usage_type_tokens: ['Claude4.6Sonnet'],
        },
      ],
    });

    // Act
    const catalog = loadModelCatalog(config);

    // Assess
    expect(resolveUsageTypeToken(catalog, 'AcmeSecret')?.id).toBe('acme.secret-model');
    const lite = resolveUsageTypeToken(catalog, 'NovaLite');
    expect([lite?.id, lite?.tier, resolveUsageTypeToken(catalog, 'NovaLiteV1')?.id]).toEqual([
      'amazon.nova-lite',
      'standard',
      'amazon.nova-lite',
    ]);
    // a later entry that claims a token takes it over
    expect(resolveUsageTypeToken(catalog, 'Claude4.6Sonnet')?.id).toBe('anthropic.claude-opus-4-6');
  });

  it('drops a loose spelling two models share instead of guessing', () => {
    const catalog = buildModelCatalog([
      { id: 'a', family: 'f', provider: 'p', tier: 'economy', usage_type_tokens: ['Foo-1.2'] },
      { id: 'b', family: 'f', provider: 'p', tier: 'economy', usage_type_tokens: ['Foo1-2'] },
    ]);
    expect(resolveUsageTypeToken(catalog, 'foo-1.2')?.id).toBe('a');
    expect(resolveUsageTypeToken(catalog, 'Foo12')).toBeUndefined();
  });
});

describe('catalog file validation', () => {
  it.each([
    [{ models: [] }, 'models'],
    [{ models: [{ id: 'x', family: 'f', provider: 'p', tier: 'huge' }] }, 'tier'],
    [{ models: [{ id: 'x', family: 'f', provider: 'p', tier: 'economy', typo: 1 }] }, 'typo'],
    [
      {
        models: [
          { id: 'x', family: 'f', provider: 'p', tier: 'economy' },
          { id: 'x', family: 'f', provider: 'p', tier: 'economy' },
        ],
      },
      'duplicate id x',
    ],
    [
      {
        models: [
          { id: 'x', family: 'f', provider: 'p', tier: 'economy', usage_type_tokens: ['Tok'] },
          { id: 'y', family: 'f', provider: 'p', tier: 'economy', usage_type_tokens: ['tok'] },
        ],
      },
      'already belongs to x',
    ],
  ])('rejects %j naming %s', (data, message) => {
    expect(() => parseCatalogFile(data)).toThrow(ConfigError);
    expect(() => parseCatalogFile(data)).toThrow(message);
  });

  it('reports an unreadable file as a ConfigError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-'));
    const path = join(dir, 'models.json');
    writeFileSync(path, '{ not json');
    expect(() => readCatalogFile(path)).toThrow(ConfigError);
    expect(() => readCatalogFile(join(dir, 'missing.json'))).toThrow(/cannot read model catalog/);
  });
});
