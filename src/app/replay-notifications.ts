import { type AlertingSpec, compileAlerting } from '../core/alerting/alerting-spec.js';
import { conditionOptionsFor } from '../core/alerting/conditions.js';
import type { NotifyReason } from '../core/alerting/decide.js';
import type { IntegrationKind } from '../core/alerting/receivers.js';
import { addDays, daysBetween } from '../core/time/days.js';
import { type DetectOptions, detectAnomalies } from './detect.js';
import { type NotifyReportEntry, notify } from './notify.js';
import type {
  NotificationDelivery,
  NotificationLog,
  Notifier,
  NotifierSet,
  SendOutcome,
} from './ports/alerting.js';
import type { FactStore } from './ports/ingest.js';

/** Days each replayed run evaluates, as a scheduled run does by default (app/detect DEFAULT_DAYS). */
export const REPLAY_WINDOW_DAYS = 14;
/** The replayed daily run happens at this hour (UTC) of the day after the day it evaluates up to. */
export const REPLAY_RUN_HOUR_UTC = 6;

export interface ReplayInput {
  from: string;
  to: string;
  /** The rules and completeness the runs evaluate with, and the alerting they route through. */
  config: DetectOptions & AlertingSpec;
  windowDays?: number | undefined;
}

/** One message the replay would have sent. */
export interface ReplayMessage {
  /** The day whose run sent it (that run evaluated up to this day). */
  runDay: string;
  receiver: string;
  integration: IntegrationKind;
  reason: NotifyReason;
  groupKey: string;
  firing: readonly string[];
  resolved: readonly string[];
}

export interface ReplayReport {
  from: string;
  to: string;
  runs: number;
  messages: ReplayMessage[];
  /** Messages per `<receiver>/<integration>`, and by reason. */
  byReceiver: Record<string, { total: number; byReason: Partial<Record<NotifyReason, number>> }>;
}

class RecordingNotifier<K extends IntegrationKind> implements Notifier<K> {
  async send(_delivery: Extract<NotificationDelivery, { kind: K }>): Promise<SendOutcome> {
    return { status: 'delivered' };
  }
}

/**
 * "What would the alerts have looked like": replays one scheduled run per day from `from` to `to` (each at
 * REPLAY_RUN_HOUR_UTC the next morning, evaluating the `windowDays` days up to that day, so the newest days are
 * provisional as they are in production) against the given notification log, with notifiers that record
 * instead of sending. The messages are the ones the routes would have delivered, conditions, repeats and
 * resolves included. Nothing leaves the machine; the log should be a scratch one.
 */
export async function replayNotifications(
  input: ReplayInput,
  deps: { store: FactStore; log: NotificationLog },
): Promise<ReplayReport> {
  const alerting = compileAlerting(input.config);
  const windowDays = input.windowDays ?? REPLAY_WINDOW_DAYS;
  const notifiers: NotifierSet = {
    slack: new RecordingNotifier<'slack'>(),
    sns: new RecordingNotifier<'sns'>(),
    console: new RecordingNotifier<'console'>(),
  };
  const messages: ReplayMessage[] = [];
  const days = daysBetween(input.from, input.to);
  for (const day of days) {
    const now = new Date(`${addDays(day, 1)}T${String(REPLAY_RUN_HOUR_UTC).padStart(2, '0')}:00:00.000Z`);
    const result = await detectAnomalies(
      { from: addDays(day, -(windowDays - 1)), to: day, now, learningLabels: false },
      { store: deps.store, config: input.config },
    );
    const conditions = conditionOptionsFor({
      rules: input.config.rules,
      days: result.days,
      newestUsageHour: result.newestUsageHour,
      finalAfterHours: input.config.completeness.final_after_hours,
    });
    const report = await notify(
      { findings: result.findings, alerting, conditions },
      { log: deps.log, notifiers, clock: () => now },
    );
    for (const entry of report.entries) {
      if (isSent(entry)) messages.push(toMessage(day, entry));
    }
  }
  const byReceiver: ReplayReport['byReceiver'] = {};
  for (const m of messages) {
    const key = `${m.receiver}/${m.integration}`;
    const slot = byReceiver[key] ?? { total: 0, byReason: {} };
    slot.total += 1;
    slot.byReason[m.reason] = (slot.byReason[m.reason] ?? 0) + 1;
    byReceiver[key] = slot;
  }
  return { from: input.from, to: input.to, runs: days.length, messages, byReceiver };
}

function isSent(entry: NotifyReportEntry): boolean {
  return (entry.outcome === 'delivered' || entry.outcome === 'unknown') && entry.reason !== null;
}

function toMessage(runDay: string, entry: NotifyReportEntry): ReplayMessage {
  return {
    runDay,
    receiver: entry.receiver,
    integration: entry.integration,
    reason: entry.reason!,
    groupKey: entry.groupKey,
    firing: entry.firingFingerprints,
    resolved: entry.resolvedFingerprints,
  };
}
