import { ConfigError } from '../errors.js';
import { compileInhibitRule, type InhibitRule, type InhibitRuleSpec } from './inhibition.js';
import type { OwnersSpec } from './owners.js';
import type { ReceiverSpec } from './receivers.js';
import { allRoutes, compileRouteTree, type Route, type RouteSpec } from './route-tree.js';
import { compileSilence, type Silence, type SilenceSpec } from './silences.js';

/** The alerting part of the config, as the config schema outputs it. */
export interface AlertingSpec {
  routes: RouteSpec;
  receivers: readonly ReceiverSpec[];
  owners: OwnersSpec;
  silences: readonly SilenceSpec[];
  inhibit_rules: readonly InhibitRuleSpec[];
}

/** The alerting config with routes, matchers, silences and durations parsed once. */
export interface CompiledAlerting {
  routeTree: Route;
  receivers: ReadonlyMap<string, ReceiverSpec>;
  owners: OwnersSpec;
  silences: readonly Silence[];
  inhibitRules: readonly InhibitRule[];
}

/** Compiles validated alerting config; what the schema rejects throws ConfigError here too. */
export function compileAlerting(spec: AlertingSpec): CompiledAlerting {
  const routeTree = compileRouteTree(spec.routes);
  const receivers = new Map(spec.receivers.map((r) => [r.name, r]));
  for (const route of allRoutes(routeTree)) {
    if (!receivers.has(route.receiver)) {
      throw new ConfigError(`routes: receiver "${route.receiver}" is not defined in receivers`);
    }
  }
  return {
    routeTree,
    receivers,
    owners: spec.owners,
    silences: spec.silences.map((s, i) => compileSilence(s, `silences.${i}`)),
    inhibitRules: spec.inhibit_rules.map((r, i) => compileInhibitRule(r, `inhibit_rules.${i}`)),
  };
}
