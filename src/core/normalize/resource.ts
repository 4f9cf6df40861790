import type { ResourceKind, UsageKind } from '../facts/daily-fact.js';

/** ARN resource types (the segment before the first '/') and the kind each one is. */
const KINDS: ReadonlyMap<string, ResourceKind> = new Map<string, ResourceKind>([
  ['foundation-model', 'foundation-model'],
  ['inference-profile', 'inference-profile'],
  ['application-inference-profile', 'application-inference-profile'],
  ['provisioned-model', 'provisioned-model'],
  ['custom-model', 'custom-model'],
  ['imported-model', 'imported-model'],
  ['guardrail', 'guardrail'],
  ['knowledge-base', 'knowledge-base'],
  ['agent', 'agent'],
  ['agent-alias', 'agent'],
  ['flow', 'flow'],
  ['data-automation-project', 'data-automation'],
  ['model-customization-job', 'customization'],
  ['runtime', 'agentcore'],
  ['gateway', 'agentcore'],
  ['memory', 'agentcore'],
]);

/** The resource kind of a non-token line that carries no resource id, from what it bills. */
const KIND_OF_FEATURE_USAGE: Partial<Record<UsageKind, ResourceKind>> = {
  guardrail: 'guardrail',
  knowledge_base: 'knowledge-base',
  agentcore: 'agentcore',
  data_automation: 'data-automation',
  customization_training: 'customization',
  customization_storage: 'customization',
  image_generation: 'media-generation',
  video_generation: 'media-generation',
  media_input: 'feature',
  web_search: 'feature',
  rerank: 'feature',
};

/** Resource kind of a line: the ARN's when it has one, else the kind of feature it bills, else `none`. */
export function resourceKindOf(resource: ParsedResource, usageKind: UsageKind): ResourceKind {
  if (resource.kind !== 'none') return resource.kind;
  return KIND_OF_FEATURE_USAGE[usageKind] ?? 'none';
}

export interface ParsedResource {
  kind: ResourceKind;
  /** The id after `<kind>/` (`anthropic.claude-3-5-sonnet-20240620-v1:0`, `us.meta.llama3-…/suffix`). */
  id: string;
}

/**
 * Reads `line_item_resource_id` the way CUDOS does (`split(resource_id, ':', 6)`): the resource part of
 * the ARN, whose first path segment is the kind. Model ids contain ':' (`…-v1:0`), so everything after
 * the fifth colon is kept.
 */
export function parseResource(resourceId: string | null): ParsedResource {
  const arn = resourceId?.trim() ?? '';
  if (arn === '') return { kind: 'none', id: '' };
  const parts = arn.split(':');
  if (parts[0] !== 'arn' || parts.length < 6) return { kind: 'other', id: arn };
  const resource = parts.slice(5).join(':');
  const slash = resource.indexOf('/');
  const type = slash < 0 ? resource : resource.slice(0, slash);
  const kind = KINDS.get(type);
  if (kind === undefined) return { kind: 'other', id: resource };
  return { kind, id: slash < 0 ? '' : resource.slice(slash + 1) };
}
