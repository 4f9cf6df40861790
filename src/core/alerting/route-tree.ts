import { ConfigError } from '../errors.js';
import { SEVERITIES, type Severity } from '../rules/finding.js';
import { DEFAULT_REPEAT_INTERVAL_BY_SEVERITY } from './conditions.js';
import { parseDurationMs } from './duration.js';
import type { Labels } from './labels.js';
import { formatMatchers, type Matcher, matchesAll, parseMatchers } from './matchers.js';

/** `group_by: ['...']` groups by every label, as in Alertmanager. */
export const GROUP_BY_ALL = '...';

/**
 * One message per workload: its conditions (rule + labels, without the day) are the alerts of the group, so an
 * ongoing condition stays in the same group day after day. Adding `day` makes every day a new group (one
 * message a day per workload, the behaviour before conditions).
 */
export const DEFAULT_GROUP_BY: readonly string[] = ['workload'];

/** A route as written in config (Alertmanager names). Children inherit unset options from their parent. */
export interface RouteSpec {
  receiver?: string | undefined;
  group_by?: readonly string[] | undefined;
  repeat_interval?: string | undefined;
  /** Root only: repeat intervals by the group's severity for routes that set no `repeat_interval`. */
  repeat_interval_by_severity?: { [S in Severity]?: string | undefined } | undefined;
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
  /** Set on the route or inherited; null: by the group's severity (`repeatBySeverityMs`). */
  repeatIntervalMs: number | null;
  repeatBySeverityMs: Readonly<Record<Severity, number>>;
  matchers: readonly Matcher[];
  continue: boolean;
  routes: readonly Route[];
}

/** Compiles a validated route spec; a spec the config schema would reject throws ConfigError. */
export function compileRouteTree(root: RouteSpec): Route {
  if (!root.receiver) throw new ConfigError('routes: the root route must name a receiver');
  if (root.matchers && root.matchers.length > 0)
    throw new ConfigError('routes: the root route matches everything; remove its matchers');
  const bySeverity = Object.fromEntries(
    SEVERITIES.map((severity) => {
      const configured = root.repeat_interval_by_severity?.[severity];
      const text = configured ?? DEFAULT_REPEAT_INTERVAL_BY_SEVERITY[severity];
      const path = configured
        ? `routes.repeat_interval_by_severity.${severity}`
        : 'DEFAULT_REPEAT_INTERVAL_BY_SEVERITY';
      return [severity, mustDuration(text, path)];
    }),
  ) as Record<Severity, number>;
  const parent = {
    key: '',
    receiver: root.receiver,
    groupBy: DEFAULT_GROUP_BY,
    repeatIntervalMs: null,
    repeatBySeverityMs: bySeverity,
  };
  return compile(root, parent, 'routes', true);
}

/** How long a still-firing group waits before it is repeated: the route's interval, else by severity. */
export function repeatIntervalOf(route: Route, severity: Severity): number {
  return route.repeatIntervalMs ?? route.repeatBySeverityMs[severity];
}

function compile(
  spec: RouteSpec,
  parent: Pick<Route, 'key' | 'receiver' | 'groupBy' | 'repeatIntervalMs' | 'repeatBySeverityMs'>,
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
    repeatBySeverityMs: parent.repeatBySeverityMs,
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
