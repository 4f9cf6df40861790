import { type DailyFact, type Routing, UNALLOCATED } from '../facts/daily-fact.js';
import { type AttributionOptions, createAttributor } from '../normalize/attribution.js';
import { identityFromDottedId } from '../normalize/model-identity.js';
import type { TagPairs } from '../normalize/stage1-row.js';

/** Who a metric's model id belongs to, which model it runs and how it is routed. */
export interface ModelIdAttribution {
  workload: string;
  team: string;
  costCenter: string;
  environment: string;
  /** Canonical model id (as the facts spell it), or `unknown:<model id>`. */
  model: string;
  routing: Routing;
  /**
   * Where the attribution came from: `facts` (the ARN's CUR resource tags in the stored facts), `tags`
   * (Bedrock ListTagsForResource), `account` (the account's defaults, for a base model id), `none`.
   */
  source: 'facts' | 'tags' | 'account' | 'none';
  /** Whether the stored facts know this model id (ARN) or model (base id): false → a model with no history. */
  known: boolean;
}

export type AttributeModelId = (accountId: string, modelId: string) => ModelIdAttribution;

/** `arn:aws:bedrock:<region>:<account>:(application-inference-profile|provisioned-model|…)/<id>`. */
export function isBedrockArn(modelId: string): boolean {
  return /^arn:aws[a-z-]*:bedrock:/.test(modelId);
}

/** Routing a base or system-profile model id implies: `global.` → global, a geo prefix → geo. */
export function routingOfModelId(modelId: string): Routing {
  if (modelId.startsWith('global.')) return 'global';
  if (/^(?:us|us-gov|eu|apac|ap|jp|au|ca)\./.test(modelId)) return 'geo';
  return 'in_region';
}

/**
 * Attribution of metric model ids. An inference profile or provisioned model ARN takes the workload, team,
 * cost center, environment, model and routing its CUR line items carried in the stored facts (the newest day's
 * dominant values by cost); an ARN the facts do not know takes its Bedrock tags (`tagsByArn`, from
 * ListTagsForResource) through the configured attribution; a base model id takes the account's defaults,
 * exactly as CUR lines without resource tags do.
 */
export function createModelIdAttributor(input: {
  facts: readonly DailyFact[];
  config: AttributionOptions;
  tagsByArn?: ReadonlyMap<string, TagPairs> | undefined;
}): AttributeModelId {
  const attributor = createAttributor(input.config);
  const byResource = new Map<string, DailyFact[]>();
  const knownModels = new Set<string>();
  for (const fact of input.facts) {
    knownModels.add(fact.model);
    if (!fact.resourceId) continue;
    const list = byResource.get(fact.resourceId) ?? [];
    list.push(fact);
    byResource.set(fact.resourceId, list);
  }
  const cache = new Map<string, ModelIdAttribution>();
  return (accountId, modelId) => {
    const key = `${accountId}\u0000${modelId}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const facts = byResource.get(modelId);
    let out: ModelIdAttribution;
    if (facts && facts.length > 0) {
      let newest = '';
      for (const f of facts) if (f.usageDate > newest) newest = f.usageDate;
      const top = heaviest(facts.filter((f) => f.usageDate === newest));
      out = {
        workload: top.workload,
        team: top.team,
        costCenter: top.costCenter,
        environment: top.environment,
        model: top.model,
        routing: top.routing,
        source: 'facts',
        known: true,
      };
    } else {
      const tags = isBedrockArn(modelId) ? input.tagsByArn?.get(modelId) : undefined;
      const resolved = attributor({
        usageAccount: accountId,
        resourceTags: tags ?? [],
        principalTags: [],
        accountTags: [],
      });
      const model = isBedrockArn(modelId)
        ? `unknown:${modelId}`
        : (identityFromDottedId(modelId)?.id ?? `unknown:${modelId}`);
      out = {
        workload: resolved.workload,
        team: resolved.team,
        costCenter: resolved.costCenter,
        environment: resolved.environment,
        model,
        routing: routingOfModelId(modelId),
        source:
          resolved.workload === UNALLOCATED
            ? 'none'
            : resolved.attributionSource === 'resource_tag'
              ? 'tags'
              : 'account',
        known: !isBedrockArn(modelId) && knownModels.has(model),
      };
    }
    cache.set(key, out);
    return out;
  };
}

function heaviest(facts: readonly DailyFact[]): DailyFact {
  return facts.reduce((best, f) => (f.costUnblended > best.costUnblended ? f : best));
}
