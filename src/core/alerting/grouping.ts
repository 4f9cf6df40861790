import { groupKey, tupleKey } from '../keys.js';
import type { Alert } from './alert.js';
import type { Labels } from './labels.js';
import type { Route } from './route-tree.js';

/** Alerts that share a route and the values of its `group_by` labels: one message, one log entry per receiver. */
export interface AlertGroup {
  route: Route;
  receiver: string;
  groupKey: string;
  groupLabels: Labels;
  alerts: Alert[];
}

/** The alert's labels named in `group_by`; like Alertmanager, labels the alert lacks are left out. */
export function groupLabelsFor(route: Route, labels: Labels): Labels {
  if (route.groupBy === 'all') return { ...labels };
  const out: Record<string, string> = {};
  for (const name of route.groupBy) {
    if (Object.hasOwn(labels, name)) out[name] = labels[name]!;
  }
  return out;
}

/** Groups routed alerts; the output order is by group key then receiver, alerts by fingerprint. */
export function groupAlerts(routed: readonly { route: Route; alert: Alert }[]): AlertGroup[] {
  const groups = new Map<string, AlertGroup>();
  for (const { route, alert } of routed) {
    const labels = groupLabelsFor(route, alert.labels);
    const key = groupKey(route.key, labels);
    const id = tupleKey([route.receiver, key]);
    let group = groups.get(id);
    if (!group) {
      group = { route, receiver: route.receiver, groupKey: key, groupLabels: labels, alerts: [] };
      groups.set(id, group);
    }
    if (!group.alerts.some((a) => a.fingerprint === alert.fingerprint)) group.alerts.push(alert);
  }
  const out = [...groups.values()];
  for (const g of out) g.alerts.sort((a, b) => compare(a.fingerprint, b.fingerprint));
  return out.sort((a, b) => compare(a.groupKey, b.groupKey) || compare(a.receiver, b.receiver));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
