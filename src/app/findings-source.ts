import type { CompiledAlerting } from '../core/alerting/alerting-spec.js';
import { planNotifications } from '../core/alerting/plan.js';
import { integrationsOf, logReceiverId } from '../core/alerting/receivers.js';
import { type Silence, validateSilences } from '../core/alerting/silences.js';
import type { AnomalyInput, AnomalyState } from '../core/digest/anomalies.js';
import { conditionKey } from '../core/keys.js';
import type { Finding } from '../core/rules/finding.js';
import { type DetectOptions, detectAnomalies } from './detect.js';
import type { NotificationLog, SilenceStore } from './ports/alerting.js';
import type { FactStore } from './ports/ingest.js';
import type { FindingsSource } from './ports/reports.js';

/**
 * The digest's anomalies, the same for the CLI and the Lambda: the rules evaluated over the asked days, each
 * finding with where it stands against the notification log and the active silences.
 */
export function detectedFindings(deps: {
  store: FactStore;
  config: DetectOptions;
  alerting: CompiledAlerting;
  log: NotificationLog;
  silences?: SilenceStore | undefined;
  now: Date;
}): FindingsSource {
  const { now } = deps;
  return {
    async findings(days) {
      const result = await detectAnomalies(
        { from: days[0], to: days.at(-1), now, learningLabels: false },
        { store: deps.store, config: deps.config },
      );
      const stored = await deps.silences?.list();
      return findingsWithState({
        findings: result.findings,
        alerting: deps.alerting,
        log: deps.log,
        silences: stored ? validateSilences(stored, now.getTime()).active : [],
        nowMs: now.getTime(),
      });
    },
  };
}

/**
 * Where each finding stands, for the digest, judged on its condition (rule + labels without the day):
 * `notified` when a receiver's notification-log record lists the condition (firing or resolved), else `muted`
 * when silenced or inhibited on every route, else `provisional` / `open`. `conditionSince` is the first day
 * of the condition's current firing as the log records it.
 */
export async function findingsWithState(input: {
  findings: readonly Finding[];
  alerting: CompiledAlerting;
  log: NotificationLog;
  silences?: readonly Silence[] | undefined;
  nowMs: number;
}): Promise<AnomalyInput[]> {
  const plan = planNotifications({
    findings: input.findings,
    alerting: input.alerting,
    extraSilences: input.silences ?? [],
    nowMs: input.nowMs,
  });
  const notified = new Set<string>();
  const since = new Map<string, string>();
  const firing = new Set<string>();
  const muted = new Set<string>();
  for (const group of plan) {
    for (const m of group.muted) muted.add(m.alert.fingerprint);
    if (group.firing.length === 0) continue;
    for (const a of group.firing) firing.add(a.fingerprint);
    const receiver = input.alerting.receivers.get(group.receiver);
    for (const kind of receiver ? integrationsOf(receiver) : []) {
      const entry = await input.log.get(logReceiverId(group.receiver, kind), group.groupKey);
      for (const key of [...(entry?.firingFingerprints ?? []), ...(entry?.resolvedFingerprints ?? [])]) {
        notified.add(key);
      }
      for (const [key, day] of Object.entries(entry?.firingSince ?? {})) {
        const known = since.get(key);
        if (known === undefined || day < known) since.set(key, day);
      }
    }
  }
  return input.findings.map((finding) => {
    const key = conditionKey(finding);
    const state: AnomalyState = notified.has(key)
      ? 'notified'
      : muted.has(key) && !firing.has(key)
        ? 'muted'
        : finding.provisional
          ? 'provisional'
          : 'open';
    const conditionSince = since.get(key);
    return conditionSince === undefined ? { finding, state } : { finding, state, conditionSince };
  });
}
