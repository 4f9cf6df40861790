import type { Finding } from '../rules/finding.js';
import { type Alert, conditionAlert } from './alert.js';
import type { CompiledAlerting } from './alerting-spec.js';
import { type ConditionOptions, conditionsOf } from './conditions.js';
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

/**
 * A group after muting: `firing` is what would be sent, `resolved` the conditions of the group that have
 * ended; a group with neither (everything silenced or inhibited) is muted as a whole.
 */
export interface PlannedGroup extends AlertGroup {
  firing: Alert[];
  resolved: Alert[];
  muted: MutedAlert[];
}

/**
 * Findings → conditions → alerts → routes → groups → silences and inhibition. Pure, so `notify`, `--dry-run`
 * and `routes test` all see the same plan. Each condition (rule + labels without the day) is one alert, built
 * from its newest finding; resolved conditions are routed too, so their group can say they ended. Muting is
 * per alert, as in Alertmanager's pipeline: every firing alert of the run can inhibit, silenced or not.
 */
export function planNotifications(input: {
  findings: readonly Finding[];
  alerting: CompiledAlerting;
  /** Silences from the state store, in addition to those in config. */
  extraSilences?: readonly Silence[];
  nowMs: number;
  /** Which evaluated days are final and when conditions resolve; default: nothing resolves. */
  conditions?: ConditionOptions | undefined;
}): PlannedGroup[] {
  const alerts = conditionsOf(input.findings, input.conditions ?? { lastFinalDay: null }).map(conditionAlert);
  const firingAlerts = alerts.filter((a) => a.condition?.status !== 'resolved');
  const silences = [...input.alerting.silences, ...(input.extraSilences ?? [])];
  const muteCause = new Map<string, MuteCause>();
  for (const alert of alerts) {
    const silence = silencedBy(alert.labels, silences, input.nowMs);
    if (silence) {
      muteCause.set(alert.fingerprint, { kind: 'silenced', silenceId: silence.id });
      continue;
    }
    if (alert.condition?.status === 'resolved') continue;
    const inhibition = inhibitionOf(alert, firingAlerts, input.alerting.inhibitRules);
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
    const resolved: Alert[] = [];
    const muted: MutedAlert[] = [];
    for (const alert of group.alerts) {
      const cause = muteCause.get(alert.fingerprint);
      if (cause) muted.push({ alert, cause });
      else if (alert.condition?.status === 'resolved') resolved.push(alert);
      else firing.push(alert);
    }
    return { ...group, firing, resolved, muted };
  });
}
