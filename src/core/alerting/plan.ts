import type { Finding } from '../rules/finding.js';
import { type Alert, toAlert } from './alert.js';
import type { CompiledAlerting } from './alerting-spec.js';
import { type AlertGroup, groupAlerts } from './grouping.js';
import { inhibitionOf } from './inhibition.js';
import { routesFor } from './route-tree.js';
import { type Silence, silencedBy } from './silences.js';

export type MuteCause =
  | { kind: 'silenced'; silenceId: string }
  | { kind: 'inhibited'; ruleIndex: number; sourceFingerprint: string };

export interface MutedAlert {
  alert: Alert;
  cause: MuteCause;
}

/** A group after muting: `firing` is what would be sent; a group with none firing is muted as a whole. */
export interface PlannedGroup extends AlertGroup {
  firing: Alert[];
  muted: MutedAlert[];
}

/**
 * Findings → alerts → routes → groups → silences and inhibition. Pure, so `notify`, `--dry-run` and
 * `routes test` all see the same plan. Muting is per alert, as in Alertmanager's pipeline: every alert
 * of the run can inhibit, silenced or not.
 */
export function planNotifications(input: {
  findings: readonly Finding[];
  alerting: CompiledAlerting;
  /** Silences from the state store, in addition to those in config. */
  extraSilences?: readonly Silence[];
  nowMs: number;
}): PlannedGroup[] {
  const alerts = input.findings.map(toAlert);
  const silences = [...input.alerting.silences, ...(input.extraSilences ?? [])];
  const muteCause = new Map<string, MuteCause>();
  for (const alert of alerts) {
    const silence = silencedBy(alert.labels, silences, input.nowMs);
    if (silence) {
      muteCause.set(alert.fingerprint, { kind: 'silenced', silenceId: silence.id });
      continue;
    }
    const inhibition = inhibitionOf(alert, alerts, input.alerting.inhibitRules);
    if (inhibition) {
      muteCause.set(alert.fingerprint, {
        kind: 'inhibited',
        ruleIndex: inhibition.ruleIndex,
        sourceFingerprint: inhibition.source.fingerprint,
      });
    }
  }
  const routed = alerts.flatMap((alert) =>
    routesFor(input.alerting.routeTree, alert.labels).map((route) => ({ route, alert })),
  );
  return groupAlerts(routed).map((group) => {
    const firing: Alert[] = [];
    const muted: MutedAlert[] = [];
    for (const alert of group.alerts) {
      const cause = muteCause.get(alert.fingerprint);
      if (cause) muted.push({ alert, cause });
      else firing.push(alert);
    }
    return { ...group, firing, muted };
  });
}
