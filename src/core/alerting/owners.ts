import type { Alert } from './alert.js';
import { type Labels, labelValue } from './labels.js';

/**
 * Who owns a workload: `workloads.<workload>.team` picks a team, `teams.<team>` says where it is reached.
 * A finding whose workload is not listed falls back to its own `team` label.
 */
export interface OwnersSpec {
  teams: Readonly<Record<string, { slack_channel?: string | undefined; mention?: string | undefined }>>;
  workloads: Readonly<Record<string, { team: string }>>;
}

export interface Owner {
  team: string;
  slackChannel?: string | undefined;
  /** Slack user id (U…/W…), user-group id (S…), or a ready-made `<…>` mention. */
  mention?: string | undefined;
}

export function ownerOf(labels: Labels, owners: OwnersSpec): Owner | undefined {
  const workload = labelValue(labels, 'workload');
  const team = owners.workloads[workload]?.team ?? labelValue(labels, 'team');
  const entry = owners.teams[team];
  if (!entry) return undefined;
  return { team, slackChannel: entry.slack_channel, mention: entry.mention };
}

/**
 * The single owner of a group's alerts. A group spanning several owners (its `group_by` lacks
 * `workload`) has none: a message must not go to one team's channel about another team's spend.
 */
export function ownerOfGroup(
  alerts: readonly Alert[],
  owners: OwnersSpec,
): { owner: Owner | undefined; ambiguous: boolean } {
  const found = new Map<string, Owner | undefined>();
  for (const a of alerts) {
    const owner = ownerOf(a.labels, owners);
    found.set(owner?.team ?? '', owner);
  }
  if (found.size !== 1) return { owner: undefined, ambiguous: found.size > 1 };
  return { owner: [...found.values()][0], ambiguous: false };
}

/** Slack mrkdwn for a mention: `<@U…>` for people, `<!subteam^S…>` for user groups. */
export function formatMention(mention: string): string {
  if (mention.startsWith('<')) return mention;
  if (mention === 'here' || mention === 'channel') return `<!${mention}>`;
  if (mention.startsWith('S')) return `<!subteam^${mention}>`;
  return `<@${mention}>`;
}
