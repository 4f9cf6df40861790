import { snapshotOf } from '../alerting/alert.js';
import { canonicalJson, sha256Hex } from '../keys.js';
import { formatMoney } from '../money.js';
import type { Severity } from '../rules/finding.js';
import {
  findingDetails,
  groupSeverity,
  headlineOf,
  isAllResolved,
  isProvisional,
  leadAlert,
  messageAlerts,
  type NotificationContent,
  resolvedLine,
} from './notification-content.js';

/** An SNS publish, ready for the adapter: subject, JSON body, filterable attributes and dedup ids. */
export interface SnsMessage {
  subject: string;
  /**
   * JSON: PagerDuty Events v2 fields (`dedup_key`, `event_action` trigger | resolve, `payload`), Opsgenie ones
   * (`alias`, `message`, `priority`, `action` Create | Close) and `status` firing | resolved.
   */
  message: string;
  attributes: {
    severity: Severity;
    rule: string;
    workload: string;
    /** Alerts only: lets a subscription filter policy drop resolve events. */
    status?: 'firing' | 'resolved' | undefined;
  };
  /** Incident identity for the pager: the same group always maps to the same incident. */
  dedupKey: string;
  /** FIFO `MessageDeduplicationId`: equal for a resend of the same content, different once it escalates. */
  deduplicationId: string;
  /** FIFO `MessageGroupId`: orders messages per group. */
  messageGroupId: string;
}

const PD_SEVERITY: Readonly<Record<Severity, string>> = {
  page: 'critical',
  warning: 'warning',
  info: 'info',
};
const OPSGENIE_PRIORITY: Readonly<Record<Severity, string>> = { page: 'P1', warning: 'P3', info: 'P5' };
const SUBJECT_MAX = 100;

/**
 * SNS subjects must be ASCII, without line breaks, at most 100 characters; the headline's "—" and "×"
 * are spelled out.
 */
export function toSnsSubject(text: string): string {
  const ascii = text
    .replace(/—/g, '-')
    .replace(/×/g, 'x')
    .replace(/−/g, '-')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return ascii.length <= SUBJECT_MAX ? ascii : `${ascii.slice(0, SUBJECT_MAX - 3)}...`;
}

/**
 * The SNS event for a group. The group key is the incident: every message about the group (first, repeats,
 * escalations) triggers the same `dedup_key` / `alias`, and once every condition of the group has ended the
 * message resolves it (`event_action: resolve`, Opsgenie `action: Close`), so the pager closes it.
 */
export function renderSnsMessage(content: NotificationContent): SnsMessage {
  const resolvedAll = isAllResolved(content);
  const lead = leadAlert(messageAlerts(content));
  const severity = groupSeverity(content);
  const snapshot = snapshotOf(content.alerts);
  const provisional = isProvisional(content);
  const summary = resolvedAll
    ? `Resolved: ${resolvedLine(lead)}`
    : `${provisional ? '[provisional] ' : ''}${headlineOf(lead.finding)}`;
  const dedupKey = sha256Hex(content.groupKey);
  const workload = content.groupLabels.workload ?? lead.finding.labels.workload;
  const details = {
    receiver: content.receiver,
    group_key: content.groupKey,
    group_labels: content.groupLabels,
    reason: content.reason,
    provisional,
    total_today_usd: formatMoney(snapshot.totalAmount),
    owner: content.owner ? { team: content.owner.team } : undefined,
    findings: content.alerts.map(findingDetails),
    resolved: (content.resolved ?? []).map((a) => ({
      condition: a.fingerprint,
      rule: a.finding.rule,
      labels: a.finding.labels,
      last_found: a.condition?.lastDay ?? a.finding.day,
    })),
    firing_since: content.firingSince ?? {},
  };
  const status = resolvedAll ? 'resolved' : 'firing';
  const body = {
    version: 1,
    source: 'bedrock-cost',
    status,
    event_action: resolvedAll ? 'resolve' : 'trigger',
    action: resolvedAll ? 'Close' : 'Create',
    dedup_key: dedupKey,
    payload: {
      summary,
      source: 'bedrock-cost',
      severity: PD_SEVERITY[severity],
      component: workload,
      group: lead.finding.labels.team,
      class: lead.finding.rule,
      custom_details: details,
    },
    alias: dedupKey,
    message: summary.slice(0, 130),
    description: lead.finding.why.join('\n'),
    priority: OPSGENIE_PRIORITY[severity],
    tags: ['bedrock-cost', lead.finding.rule, `severity:${severity}`, `workload:${workload}`],
  };
  return {
    subject: toSnsSubject(`[${resolvedAll ? 'RESOLVED' : severity.toUpperCase()}] ${summary}`),
    message: JSON.stringify(body),
    attributes: { severity, rule: lead.finding.rule, workload, status },
    dedupKey,
    deduplicationId: sha256Hex(
      canonicalJson({
        groupKey: content.groupKey,
        firing: snapshot.firingFingerprints,
        ...(content.resolved?.length ? { resolved: content.resolved.map((a) => a.fingerprint).sort() } : {}),
        severity: snapshot.maxSeverity,
        amount: formatMoney(snapshot.totalAmount),
      }),
    ),
    messageGroupId: dedupKey,
  };
}
