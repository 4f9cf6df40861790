import type { ResourceKind } from '../facts/daily-fact.js';

const KINDS: ReadonlySet<string> = new Set<ResourceKind>([
  'foundation-model',
  'inference-profile',
  'application-inference-profile',
  'provisioned-model',
  'custom-model',
  'imported-model',
]);

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
  if (!KINDS.has(type)) return { kind: 'other', id: resource };
  return { kind: type as ResourceKind, id: slash < 0 ? '' : resource.slice(slash + 1) };
}
