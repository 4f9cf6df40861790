import type { Routing, ServiceTier, UsageKind } from '../../../../src/core/facts/daily-fact.js';
import type { Stage1Row } from '../../../../src/core/normalize/stage1-row.js';

/**
 * Every usage-type spelling in shared/reference/cur-bedrock.md (§1.3 table, V1–V3, R1–R5, §1.7) with the
 * classification the normalizer must give it. Add a row here when real data shows a new spelling.
 */
export interface UsageTypeCase {
  usageType: string;
  /** Where the spelling comes from. */
  source: string;
  /** Overrides of the stage-1 row beyond the usage type (Marketplace rows get sensible defaults). */
  row?: Partial<Stage1Row>;
  usageKind: UsageKind;
  serviceTier: ServiceTier;
  routing: Routing;
  model: string;
  /** Tokens per usage unit; null where the row carries no token metric. */
  multiplier: number | null;
  longContext?: boolean;
  region?: string;
}

const MP_SONNET_46 = 'Claude Sonnet 4.6 (Amazon Bedrock Edition)';
const SONNET_46 = 'anthropic.claude-sonnet-4-6';
const GPT_OSS_120B = 'openai.gpt-oss-120b';
const NOVA_2_LITE = 'amazon.nova-2-lite';
const K = 1_000;
const M = 1_000_000;

/** A Marketplace token row: `Units`, description unit in millions (V1 shape). */
function mp(
  usageType: string,
  source: string,
  expected: Omit<UsageTypeCase, 'usageType' | 'source' | 'row' | 'model' | 'multiplier'> & {
    model?: string;
    multiplier?: number | null;
  },
  row: Partial<Stage1Row> = {},
): UsageTypeCase {
  return {
    usageType,
    source,
    model: SONNET_46,
    multiplier: M,
    ...expected,
    row: {
      billingEntity: 'AWS Marketplace',
      productCode: '4a524th30q694o538qndh9ucht',
      productName: MP_SONNET_46,
      pricingUnit: 'Units',
      itemDescription: 'AWS Marketplace software usage|us-east-1|Million Input Tokens',
      ...row,
    },
  };
}

const std = { serviceTier: 'standard', routing: 'in_region' } as const;

export const USAGE_TYPE_CASES: readonly UsageTypeCase[] = [
  // §1.3 AWS doc (S1) = V3
  {
    usageType: 'USE1-openai.gpt-oss-120b-mantle-input-tokens-standard',
    source: 'S1/V3',
    usageKind: 'input',
    ...std,
    model: GPT_OSS_120B,
    multiplier: K,
    region: 'us-east-1',
  },
  {
    usageType: 'USE1-gpt-oss-120b-output-tokens-priority',
    source: 'S1/V3',
    usageKind: 'output',
    serviceTier: 'priority',
    routing: 'in_region',
    model: GPT_OSS_120B,
    multiplier: K,
  },
  {
    usageType: 'USE1-Nova2.0Lite-input-tokens-flex',
    source: 'S1/V3',
    usageKind: 'input',
    serviceTier: 'flex',
    routing: 'in_region',
    model: NOVA_2_LITE,
    multiplier: K,
  },
  {
    usageType: 'USE1-Claude4.6Sonnet-input-tokens',
    source: 'S1/S6/V2/V3',
    usageKind: 'input',
    ...std,
    model: SONNET_46,
    multiplier: K,
  },
  {
    usageType: 'USE1-Claude4.6Sonnet-cache-read-input-token-count',
    source: 'S1/V3',
    usageKind: 'cache_read',
    ...std,
    model: SONNET_46,
    multiplier: K,
  },
  {
    usageType: 'USE1-Claude4.6Sonnet-cache-write-input-token-count',
    source: 'S1 token pattern',
    usageKind: 'cache_write',
    ...std,
    model: SONNET_46,
    multiplier: K,
  },
  {
    usageType: 'USE1-Claude4.6Sonnet-output-tokens-cross-region-global',
    source: 'S1/V3',
    usageKind: 'output',
    serviceTier: 'standard',
    routing: 'global',
    model: SONNET_46,
    multiplier: K,
  },
  {
    usageType: 'USE1-Claude4.6Sonnet-input-tokens',
    source: '1M tokens unit (2026)',
    row: { pricingUnit: '1M tokens' },
    usageKind: 'input',
    ...std,
    model: SONNET_46,
    multiplier: M,
  },
  // §1.3 AWS blog (S6) = V2
  {
    usageType: 'USE1-Claude4.6Sonnet-output-tokens',
    source: 'S6/V2',
    usageKind: 'output',
    ...std,
    model: SONNET_46,
    multiplier: K,
  },
  {
    usageType: 'USE1-Claude4.6Opus-input-tokens',
    source: 'S6/V2',
    usageKind: 'input',
    ...std,
    model: 'anthropic.claude-opus-4-6',
    multiplier: K,
  },
  {
    usageType: 'USE1-Claude4.6Opus-output-tokens',
    source: 'S6/V2',
    usageKind: 'output',
    ...std,
    model: 'anthropic.claude-opus-4-6',
    multiplier: K,
  },
  // Marketplace, regional / geo CRIS
  mp(
    'USW2-MP:USW2_InputTokenCount-Units',
    'S13/V1',
    { usageKind: 'input', ...std, model: 'anthropic.claude-3-5-sonnet', region: 'us-west-2' },
    {
      productName: 'Claude 3.5 Sonnet (Amazon Bedrock Edition)',
      itemDescription: 'AWS Marketplace software usage|us-west-2|Million Input Tokens',
      resourceId: 'arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0',
    },
  ),
  mp('USE1-MP:USE1_OutputTokenCount-Units', 'S12', { usageKind: 'output', ...std }),
  mp('USE1-MP:USE1_CacheReadInputTokenCount-Units', 'S21', { usageKind: 'cache_read', ...std }),
  mp('USE1-MP:USE1_CacheWriteInputTokenCount-Units', 'S21', { usageKind: 'cache_write', ...std }),
  mp('USE1-MP:USE1_CacheWrite1hInputTokenCount-Units', 'S24', { usageKind: 'cache_write_1h', ...std }),
  mp(
    'USW2-MP:USW2_InputTokenCount-Units',
    'S21 Price List "Regional CRIS" description',
    { usageKind: 'input', ...std },
    {
      itemDescription: 'AWS Marketplace software usage|us-west-2|Million Input Tokens Regional CRIS',
    },
  ),
  // Marketplace, global CRIS
  mp('USE1-MP:USE1_InputTokenCount_Global-Units', 'S21', {
    usageKind: 'input',
    serviceTier: 'standard',
    routing: 'global',
  }),
  mp('USE1-MP:USE1_OutputTokenCount_Global-Units', 'S21', {
    usageKind: 'output',
    serviceTier: 'standard',
    routing: 'global',
  }),
  mp('USE1-MP:USE1_CacheWriteInputTokenCount_Global-Units', 'S25', {
    usageKind: 'cache_write',
    serviceTier: 'standard',
    routing: 'global',
  }),
  mp(
    'USE1-MP:USE1_CacheReadInputTokenCount_Global-Units',
    'R3',
    { usageKind: 'cache_read', serviceTier: 'standard', routing: 'global' },
    {
      itemDescription: 'AWS Marketplace software usage|us-east-1|Million Cache Read Input Tokens Global',
    },
  ),
  mp(
    'USE1-MP:USE1_InputTokenCount_Global-Units',
    'S21 description without a unit → Marketplace millions',
    { usageKind: 'input', serviceTier: 'standard', routing: 'global' },
    {
      itemDescription: 'AWS Marketplace software usage|us-east-1|Input Tokens - Standard, Global',
    },
  ),
  // Marketplace, newer lower-case dimensions
  mp('USW2-MP:USW2_input_tokens_standard-Units', 'S20', { usageKind: 'input', ...std }),
  mp('USW2-MP:USW2_output_tokens_global_standard-Units', 'S25', {
    usageKind: 'output',
    serviceTier: 'standard',
    routing: 'global',
  }),
  mp('USW2-MP:USW2_cache_write_tokens_1h_standard-Units', 'S25', { usageKind: 'cache_write_1h', ...std }),
  mp('USW2-MP:USW2_cache_read_tokens_global_standard-Units', 'S25', {
    usageKind: 'cache_read',
    serviceTier: 'standard',
    routing: 'global',
  }),
  mp('USW2-MP:USW2_input_tokens_long_ctx_standard-Units', 'S25', {
    usageKind: 'input',
    ...std,
    longContext: true,
  }),
  // Marketplace batch / latency optimized
  mp('USE1-MP:USE1_InputTokenCount_Batch-Units', 'S21', {
    usageKind: 'input',
    serviceTier: 'batch',
    routing: 'in_region',
  }),
  mp('USE1-MP:USE1_InputTokenCount_Global_Batch-Units', 'S21', {
    usageKind: 'input',
    serviceTier: 'batch',
    routing: 'global',
  }),
  mp('USE1-MP:USE1_OutputTokenCount_Batch-Units', 'S21', {
    usageKind: 'output',
    serviceTier: 'batch',
    routing: 'in_region',
  }),
  mp('USE1-MP:USE1_OutputTokenCount_Global_Batch-Units', 'S21', {
    usageKind: 'output',
    serviceTier: 'batch',
    routing: 'global',
  }),
  mp(
    'USW2-MP:USW2_OutputTokenCount_LatencyOptimized-Units',
    'S25',
    {
      usageKind: 'output',
      serviceTier: 'latency_optimized',
      routing: 'in_region',
      model: 'anthropic.claude-3-5-haiku',
    },
    {
      productName: 'Claude 3.5 Haiku (Amazon Bedrock Edition)',
    },
  ),
  mp(
    'USE1-MP:USE1_InputTokenCount-Units',
    'Marketplace row without a description → millions',
    { usageKind: 'input', ...std, model: 'anthropic.claude-3-haiku' },
    {
      productName: 'Claude 3 Haiku (Amazon Bedrock Edition)',
      itemDescription: null,
    },
  ),
  // Reserved tier
  ...(
    [
      ['USW2-MP:USW2_Reserved_1Month_InputTPM_Geo-Units', 'geo'],
      ['USW2-MP:USW2_Reserved_1Month_InputTPM_Global-Units', 'global'],
      ['USW2-MP:USW2_Reserved_3Month_OutputTPM_Geo-Units', 'geo'],
      ['USW2-MP:USW2_Reserved_3Month_OutputTPM_Global-Units', 'global'],
    ] as const
  ).map(([usageType, routing]) =>
    mp(
      usageType,
      'S21/S25',
      { usageKind: 'reserved_hours', serviceTier: 'reserved', routing, multiplier: null },
      { pricingUnit: '1M TPM Hour' },
    ),
  ),
  // first-party tiers / routing
  {
    usageType: 'USW2-Nova2.0Lite-input-tokens-priority-cross-region-global',
    source: 'S24',
    usageKind: 'input',
    serviceTier: 'priority',
    routing: 'global',
    model: NOVA_2_LITE,
    multiplier: K,
    region: 'us-west-2',
  },
  {
    usageType: 'USE1-Nova2.0Lite-output-tokens-flex-cross-region-global',
    source: 'S24',
    usageKind: 'output',
    serviceTier: 'flex',
    routing: 'global',
    model: NOVA_2_LITE,
    multiplier: K,
  },
  {
    usageType: 'USE1-Nova2.0Lite-input-tokens-cross-region-global-batch',
    source: 'S24',
    usageKind: 'input',
    serviceTier: 'batch',
    routing: 'global',
    model: NOVA_2_LITE,
    multiplier: K,
  },
  {
    usageType: 'USE1-Claude4Sonnet-cache-read-input-token-count-cross-region-global',
    source: 'S21',
    usageKind: 'cache_read',
    serviceTier: 'standard',
    routing: 'global',
    model: 'anthropic.claude-sonnet-4',
    multiplier: K,
  },
  {
    usageType: 'Claude4Sonnet-input-tokens-long-context-cross-region-global',
    source: 'S21 (AmazonBedrockService)',
    row: { productCode: 'AmazonBedrockService', productName: 'Amazon Bedrock Service' },
    usageKind: 'input',
    serviceTier: 'standard',
    routing: 'global',
    model: 'anthropic.claude-sonnet-4',
    multiplier: K,
    longContext: true,
    region: 'unknown',
  },
  // first-party batch
  {
    usageType: 'USW2-Mistral-Large-3-675b-Instruct-input-tokens-batch',
    source: 'S25',
    usageKind: 'input',
    serviceTier: 'batch',
    routing: 'in_region',
    model: 'mistral.mistral-large-3-675b-instruct',
    multiplier: K,
  },
  {
    usageType: 'Llama4-Maverick-17B-input-tokens-batch',
    source: 'S26',
    usageKind: 'input',
    serviceTier: 'batch',
    routing: 'in_region',
    model: 'meta.llama4-maverick-17b-instruct',
    multiplier: K,
    region: 'unknown',
  },
  {
    usageType: 'USE1-Llama4-Maverick-17B-output-tokens-batch',
    source: 'R5',
    usageKind: 'output',
    serviceTier: 'batch',
    routing: 'in_region',
    model: 'meta.llama4-maverick-17b-instruct',
    multiplier: K,
  },
  // mantle
  {
    usageType: 'USW2-openai.gpt-oss-120b-mantle-cache-read-tokens-standard',
    source: 'S25',
    usageKind: 'cache_read',
    ...std,
    model: GPT_OSS_120B,
    multiplier: K,
  },
  {
    usageType: 'USW2-openai.gpt-oss-120b-mantle-cache-write-tokens-30m-standard',
    source: 'S25',
    usageKind: 'cache_write_30m',
    ...std,
    model: GPT_OSS_120B,
    multiplier: K,
  },
  {
    usageType: 'USW2-openai.gpt-oss-120b-mantle-input-tokens-global-flex',
    source: 'S25',
    usageKind: 'input',
    serviceTier: 'flex',
    routing: 'global',
    model: GPT_OSS_120B,
    multiplier: K,
  },
  {
    usageType: 'USE1-openai.gpt-oss-120b-mantle-output-tokens-standard',
    source: 'S1 token pattern',
    usageKind: 'output',
    ...std,
    model: GPT_OSS_120B,
    multiplier: K,
  },
  // Provisioned Throughput
  ...(
    [
      ['USE1-Nova2.0Lite-ProvisionedThroughput-NoCommit-ModelUnits', NOVA_2_LITE, 'S24/R4'],
      ['USE1-Nova2.0Lite-ProvisionedThroughput-1month-ModelUnits', NOVA_2_LITE, 'S24'],
      ['USE1-Nova2.0Lite-ProvisionedThroughput-6month-ModelUnits', NOVA_2_LITE, 'assumed 6-month spelling'],
      [
        'USE1-TitanText-Premier-ProvisionedThroughput-Custom-NoCommit-ModelUnits',
        'amazon.titan-text-premier',
        'S27',
      ],
      ['USE1-Qwen3-32B-ProvisionedThroughput-NoCommit-ModelUnits', 'qwen.qwen3-32b', 'S26'],
    ] as const
  ).map(
    ([usageType, model, source]): UsageTypeCase => ({
      usageType,
      source,
      row: { pricingUnit: 'hour' },
      usageKind: 'provisioned_hours',
      serviceTier: 'provisioned',
      routing: 'in_region',
      model,
      multiplier: null,
    }),
  ),
  // customization / import
  {
    usageType: 'USE1-NovaPro-Customization-Training',
    source: 'S24',
    row: { pricingUnit: '1K tokens' },
    usageKind: 'customization_training',
    serviceTier: 'custom_model',
    routing: 'in_region',
    model: 'amazon.nova-pro',
    multiplier: null,
  },
  {
    usageType: 'USE1-Nova2.0Lite-Customization-Storage',
    source: 'S24',
    row: { pricingUnit: 'Month' },
    usageKind: 'customization_storage',
    serviceTier: 'custom_model',
    routing: 'in_region',
    model: NOVA_2_LITE,
    multiplier: null,
  },
  {
    usageType: 'USE1-Nova2.0Lite-RFT-Training-Hours',
    source: 'S26',
    row: { pricingUnit: 'Hours' },
    usageKind: 'customization_training',
    serviceTier: 'custom_model',
    routing: 'in_region',
    model: NOVA_2_LITE,
    multiplier: null,
  },
  {
    usageType: 'USE1-OSS-CustomModelImport-Inference-v1:0',
    source: 'S26',
    row: { pricingUnit: 'Minutes' },
    usageKind: 'other',
    serviceTier: 'custom_model',
    routing: 'in_region',
    model: 'feature:custom-model-import',
    multiplier: null,
  },
  {
    usageType: 'USE1-Nova2.0Lite-input-tokens-custom-model',
    source: 'S24',
    usageKind: 'input',
    serviceTier: 'custom_model',
    routing: 'in_region',
    model: NOVA_2_LITE,
    multiplier: K,
  },
  // other features (CUDOS substrings; the surrounding spelling is illustrative)
  ...(
    [
      ['USE1-Guardrail-ContentPolicyTextUnits', 'guardrails', 'guardrail'],
      ['USE1-Evaluations-HumanTasks', 'evaluations', 'other'],
      ['USE1-InvokeFlow-NodeTransitions', 'flows', 'other'],
      ['USE1-BedrockFlows-Transitions', 'flows', 'other'],
      ['USE1-OptimizePrompt-Requests', 'prompt-optimization', 'other'],
      ['USE1-prompt-routing-input-tokens', 'prompt-routing', 'other'],
      ['USE1-nova-grounding-Requests', 'web-grounding', 'web_search'],
      ['USE1-KB-GenerateSQL-Queries', 'structured-retrieval', 'other'],
      ['USE1-KB-StructuredRetrieve-Queries', 'structured-retrieval', 'other'],
      ['USW2-Rerank-search_units', 'rerank', 'rerank'],
      ['USW2-Rerank-SearchUnits', 'rerank', 'rerank'],
      ['USE1-DataAutomation-Document-Pages', 'data-automation', 'data_automation'],
      ['USE1-Runtime-vCPU-Hours', 'agentcore-runtime', 'agentcore'],
      ['USE1-short-term-memory-Events', 'agentcore-memory', 'agentcore'],
      ['USE1-Gateway-ToolInvocations', 'agentcore-gateway', 'agentcore'],
      ['USE1-ImageGenerator-Images', 'image-generation', 'image_generation'],
      ['USE1-T2V-720p-Seconds', 'video-generation', 'video_generation'],
      ['USE1-Sonic-Session-Minutes', 'speech', 'media_input'],
      ['USE1-Embedding-Images', 'embeddings', 'media_input'],
    ] as const
  ).map(
    ([usageType, slug, usageKind]): UsageTypeCase => ({
      usageType,
      source: 'S10 CUDOS feature substrings',
      row: { pricingUnit: 'Units' },
      usageKind,
      ...std,
      model: `feature:${slug}`,
      multiplier: null,
    }),
  ),
  ...(
    [
      ['USE1-Runtime-Memory-GBHours', 'agentcore-runtime', 'agentcore'],
      ['USE1-Memory-LongTermRecords', 'agentcore-memory', 'agentcore'],
      ['USE1-Gateway-SearchAPI', 'agentcore-gateway', 'agentcore'],
    ] as const
  ).map(
    ([usageType, slug, usageKind]): UsageTypeCase => ({
      usageType,
      source: 'S10 AgentCore (product code AmazonBedrockAgentCore)',
      row: {
        productCode: 'AmazonBedrockAgentCore',
        productName: 'Amazon Bedrock AgentCore',
        pricingUnit: 'Units',
      },
      usageKind,
      ...std,
      model: `feature:${slug}`,
      multiplier: null,
    }),
  ),
  // media models named by the usage type
  {
    usageType: 'USE1-NovaCanvas-StandardRes-Images',
    source: 'S10 novacanvas',
    row: { pricingUnit: 'Images' },
    usageKind: 'image_generation',
    ...std,
    model: 'amazon.nova-canvas',
    multiplier: null,
  },
  {
    usageType: 'USE1-TitanImageGenerator-created_image',
    source: 'S10 created_image',
    row: { pricingUnit: 'Images' },
    usageKind: 'image_generation',
    ...std,
    model: 'amazon.titan-image-generator',
    multiplier: null,
  },
  {
    usageType: 'USE1-NovaReel-I2V-Seconds',
    source: 'S10 novareel / i2v',
    row: { pricingUnit: 'Seconds' },
    usageKind: 'video_generation',
    ...std,
    model: 'amazon.nova-reel',
    multiplier: null,
  },
  {
    usageType: 'USE1-NovaSonic-speech-input-tokens',
    source: 'S10 sonic',
    usageKind: 'input',
    ...std,
    model: 'amazon.nova-sonic',
    multiplier: K,
  },
  {
    usageType: 'USE1-TitanEmbeddingsV2-Text-input-tokens',
    source: 'S10 embedding',
    usageKind: 'input',
    ...std,
    model: 'amazon.titan-embed-text-v2',
    multiplier: K,
  },
  // other modalities
  {
    usageType: 'USE1-Nova2.0Omni-input-audio-token-count',
    source: 'S24',
    usageKind: 'input',
    ...std,
    model: 'amazon.nova-2-omni',
    multiplier: K,
  },
  {
    usageType: 'USE1-Nova2.0Omni-output-image-token-count',
    source: 'S24',
    usageKind: 'output',
    ...std,
    model: 'amazon.nova-2-omni',
    multiplier: K,
  },
  {
    usageType: 'USW2-Ray-V2-Medfps-HDRes',
    source: 'S25',
    row: { pricingUnit: 'Seconds' },
    usageKind: 'video_generation',
    ...std,
    model: 'luma.ray-v2',
    multiplier: null,
  },
  // R1, R2, §1.7
  {
    usageType: 'USE1-NovaLite-input-tokens',
    source: 'R1',
    usageKind: 'input',
    ...std,
    model: 'amazon.nova-lite',
    multiplier: K,
  },
  {
    usageType: 'USE1-NovaLite-output-tokens',
    source: 'R2',
    usageKind: 'output',
    ...std,
    model: 'amazon.nova-lite',
    multiplier: K,
  },
  {
    usageType: 'EU-Nova2.0Lite-input-tokens',
    source: 'S34 (EU- prefix)',
    usageKind: 'input',
    ...std,
    model: NOVA_2_LITE,
    multiplier: K,
    region: 'eu-west-1',
  },
  {
    usageType: 'APS3-Claude3.5Sonnet-input-tokens',
    source: '§1.7 (APS3 = ap-south-1)',
    usageKind: 'input',
    ...std,
    model: 'anthropic.claude-3-5-sonnet',
    multiplier: K,
    region: 'ap-south-1',
  },
  // a model the catalog lacks is still known by its family word (issue #9)
  {
    usageType: 'USE1-Claude9Sonnet-input-tokens',
    source: 'uncatalogued model',
    usageKind: 'input',
    ...std,
    model: 'anthropic.claude-sonnet-9',
    multiplier: K,
  },
  // a string no rule recognises stays visible
  {
    usageType: 'USE1-Zorblax7-input-tokens',
    source: 'unknown model',
    usageKind: 'input',
    ...std,
    model: 'unknown:Zorblax7',
    multiplier: K,
  },
  mp(
    'USE1-MP:USE1_InputTokenCount-Units',
    'unknown Marketplace product',
    { usageKind: 'input', ...std, model: 'unknown:Some Future Model' },
    {
      productName: 'Some Future Model (Amazon Bedrock Edition)',
    },
  ),
];
