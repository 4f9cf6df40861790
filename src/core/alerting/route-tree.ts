import { ConfigError } from '../errors.js';
import { parseDurationMs } from './duration.js';
import type { Labels } from './labels.js';
import { formatMatchers, type Matcher, matchesAll, parseMatchers } from './matchers.js';

/** `group_by: ['...']` groups by every label, as in Alertmanager. */
export const GROUP_BY_ALL = '...';

/** One finding a day per workload is the natural unit of a Bedrock spend message. */
export const DEFAULT_GROUP_BY: readonly string[] = ['workload', 'day'];

/**
 * Findings describe a closed day that CUR may restate for up to ~6 weeks (the month plus two weeks);
 * Alertmanager's 4h default would re-announce the same day on every re-delivery in that window.
 */
export const DEFAULT_REPEAT_INTERVAL = '30d';

/** A route as written in config (Alertmanager names). Children inherit unset options from their parent. */
export interface RouteSpec {
  receiver?: string | undefined;
  group_by?: readonly string[] | undefined;
  repeat_interval?: string | undefined;
  matchers?: readonly string[] | undefined;
  continue?: boolean | undefined;
  routes?: readonly RouteSpec[] | undefined;
}

/** A compiled route: options resolved through inheritance, matchers parsed. */
export interface Route {
  /** Stable identity used in group keys: the parent's key + "/" + this route's sorted matchers. */
  key: string;
  receiver: string;
  /** Label names to group by, or 'all' for `...`. */
  groupBy: readonly string[] | 'all';
  repeatIntervalMs: number;
  matchers: readonly Matcher[];
  continue: boolean;
  routes: readonly Route[];
}

/** Compiles a validated route spec; a spec the config schema would reject throws ConfigError. */
export function compileRouteTree(root: RouteSpec): Route {
  if (!root.receiver) throw new ConfigError('routes: the root route must name a receiver');
  if (root.matchers && root.matchers.length > 0)
    throw new ConfigError('routes: the root route matches everything; remove its matchers');
  const parent = {
    key: '',
    receiver: root.receiver,
    groupBy: DEFAULT_GROUP_BY,
    repeatIntervalMs: mustDuration(DEFAULT_REPEAT_INTERVAL, 'routes'),
  };
  return compile(root, parent, 'routes', true);
}

function compile(
  spec: RouteSpec,
  parent: Pick<Route, 'key' | 'receiver' | 'groupBy' | 'repeatIntervalMs'>,
  path: string,
  isRoot: boolean,
): Route {
  const parsed = parseMatchers(spec.matchers ?? []);
  if (!parsed.ok) throw new ConfigError(`${path}.matchers: ${parsed.error}`);
  const key = isRoot ? formatMatchers([]) : `${parent.key}/${formatMatchers(parsed.value)}`;
  const groupBy = spec.group_by
    ? spec.group_by.includes(GROUP_BY_ALL)
      ? 'all'
      : [...spec.group_by]
    : parent.groupBy;
  const route: Omit<Route, 'routes'> = {
    key,
    receiver: spec.receiver ?? parent.receiver,
    groupBy,
    repeatIntervalMs: spec.repeat_interval
      ? mustDuration(spec.repeat_interval, `${path}.repeat_interval`)
      : parent.repeatIntervalMs,
    matchers: parsed.value,
    continue: spec.continue ?? false,
  };
  const routes = (spec.routes ?? []).map((child, i) => compile(child, route, `${path}.routes.${i}`, false));
  return { ...route, routes };
}

function mustDuration(text: string, path: string): number {
  const ms = parseDurationMs(text);
  if (ms === null || ms <= 0)
    throw new ConfigError(`${path}: "${text}" is not a positive duration (e.g. 4h, 30d)`);
  return ms;
}

/**
 * The routes an alert goes to: Alertmanager's depth-first, left-to-right search. A child that matches
 * stops the search among its siblings unless it has `continue: true`; a route none of whose children
 * match is itself the match.
 */
export function routesFor(route: Route, labels: Labels): Route[] {
  if (!matchesAll(route.matchers, labels)) return [];
  const all: Route[] = [];
  for (const child of route.routes) {
    const matched = routesFor(child, labels);
    all.push(...matched);
    if (matched.length > 0 && !child.continue) break;
  }
  return all.length > 0 ? all : [route];
}

/** Every route of the tree, depth-first: for validation and `routes show`. */
export function allRoutes(route: Route): Route[] {
  return [route, ...route.routes.flatMap(allRoutes)];
}
