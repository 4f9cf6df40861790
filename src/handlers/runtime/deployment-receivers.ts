import { isDeepStrictEqual } from 'node:util';
import { resolveReceivers } from '../../app/report-delivery.js';
import { SlackReceiverSchema, SnsReceiverSchema } from '../../config/alerting-schema.js';
import type { Config } from '../../config/schema.js';
import { DEFAULT_CONFIG } from '../../config/schema.js';
import type { ReceiverSpec } from '../../core/alerting/receivers.js';
import { DEFAULT_GROUP_BY } from '../../core/alerting/route-tree.js';
import { ConfigError } from '../../core/errors.js';

export const DEPLOYMENT_SLACK_RECEIVER = 'deployment-slack';
export const DEPLOYMENT_SNS_RECEIVER = 'deployment-sns';

export interface DeploymentTargets {
  /** BEDROCK_COST_SNS_TOPIC_ARN */
  snsTopicArn?: string | undefined;
  /** BEDROCK_COST_SLACK_CHANNEL */
  slackChannel?: string | undefined;
}

/**
 * The receivers the stack itself provides: the alert topic and, when `slackChannel` was set at deploy, the
 * Slack channel (token: the deployment secret, via the default `SLACK_BOT_TOKEN` reference).
 */
export function deploymentReceivers(targets: DeploymentTargets): Config['receivers'] {
  const receivers: Config['receivers'] = [];
  if (targets.slackChannel) {
    const slack = SlackReceiverSchema.safeParse({ channel: targets.slackChannel });
    if (!slack.success) {
      throw new ConfigError(
        `BEDROCK_COST_SLACK_CHANNEL "${targets.slackChannel}": ${slack.error.issues[0]?.message ?? 'invalid'}`,
      );
    }
    receivers.push({ name: DEPLOYMENT_SLACK_RECEIVER, slack: slack.data });
  }
  if (targets.snsTopicArn) {
    const sns = SnsReceiverSchema.safeParse({ topic_arn: targets.snsTopicArn });
    if (!sns.success) {
      throw new ConfigError(`BEDROCK_COST_SNS_TOPIC_ARN "${targets.snsTopicArn}": not an SNS topic ARN`);
    }
    receivers.push({ name: DEPLOYMENT_SNS_RECEIVER, sns: sns.data });
  }
  return receivers;
}

/** True when the config says nothing about alerting (the built-in console receiver and root route). */
export function usesDefaultAlerting(config: Config): boolean {
  return (
    isDeepStrictEqual(config.receivers, DEFAULT_CONFIG.receivers) &&
    isDeepStrictEqual(config.routes, DEFAULT_CONFIG.routes)
  );
}

/**
 * A deployment whose config has no `receivers:`/`routes:` would otherwise write findings to files in the
 * function's /tmp. Instead: pages go to the alert topic and Slack, everything else to Slack (or, without a
 * channel, to the topic). A config that defines alerting is used exactly as written.
 */
export function withDeploymentAlerting(config: Config, targets: DeploymentTargets): Config {
  if (!usesDefaultAlerting(config)) return config;
  const receivers = deploymentReceivers(targets);
  if (receivers.length === 0) return config;
  const slack = receivers.some((r) => r.name === DEPLOYMENT_SLACK_RECEIVER);
  const sns = receivers.some((r) => r.name === DEPLOYMENT_SNS_RECEIVER);
  const pages = ['severity="page"'];
  return {
    ...config,
    receivers,
    routes: {
      receiver: slack ? DEPLOYMENT_SLACK_RECEIVER : DEPLOYMENT_SNS_RECEIVER,
      group_by: [...DEFAULT_GROUP_BY],
      // A matching child route replaces the root receiver, so a page names both of its destinations.
      routes:
        slack && sns
          ? [
              { matchers: pages, receiver: DEPLOYMENT_SNS_RECEIVER, continue: true },
              { matchers: pages, receiver: DEPLOYMENT_SLACK_RECEIVER },
            ]
          : [],
    },
  };
}

/**
 * Receivers of a scheduled report: the names the config lists (`digest.receivers`, `review.receivers`; the
 * deployment receivers may be named too), or, when it lists none, the deployment's own topic and channel,
 * so a stack deployed without a config still sends its digest somewhere.
 */
export function reportReceivers(
  names: readonly string[],
  config: Pick<Config, 'receivers'>,
  targets: DeploymentTargets,
): ReceiverSpec[] {
  const deployment = deploymentReceivers(targets);
  if (names.length === 0) return deployment;
  const all = [
    ...config.receivers,
    ...deployment.filter((d) => !config.receivers.some((r) => r.name === d.name)),
  ];
  return resolveReceivers(names, all);
}
