import { join, resolve } from 'node:path';
import { ConsoleNotifier } from '../../adapters/console/console-notifier.js';
import { interactionStatePaths, LocalConditionAckStore } from '../../adapters/local-fs/interaction-stores.js';
import { LocalNotificationLog, notificationLogPath } from '../../adapters/local-fs/notification-log.js';
import { LocalSilenceStore, silenceStorePath } from '../../adapters/local-fs/silence-store.js';
import { SlackNotifier } from '../../adapters/slack/slack-notifier.js';
import { createSnsClient, SnsNotifier } from '../../adapters/sns/sns-notifier.js';
import type { NotifyDeps } from '../../app/notify.js';
import type { NotifierSet } from '../../app/ports/alerting.js';
import type { Config } from '../../config/schema.js';

/**
 * Notification state and notifiers for a local run: the notification log and silences live beside the
 * facts (`<store>/state/`), Slack tokens come from the environment variables the receivers name, and
 * console receivers write files. Only the integrations the config uses are created.
 */
export function localNotifyDeps(
  storeRoot: string,
  config: Config,
  env: NodeJS.ProcessEnv = process.env,
): NotifyDeps {
  const root = resolve(storeRoot);
  const notifiers: NotifierSet = {
    console: new ConsoleNotifier({ defaultDir: join('out', 'notifications') }),
  };
  const tokenRefs = config.receivers.flatMap((r) => (r.slack ? [r.slack.token_env] : []));
  if (tokenRefs.length > 0) {
    notifiers.slack = new SlackNotifier({
      tokens: Object.fromEntries(tokenRefs.map((ref) => [ref, env[ref]])),
    });
  }
  if (config.receivers.some((r) => r.sns)) {
    notifiers.sns = new SnsNotifier(
      createSnsClient({ region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1' }),
    );
  }
  return {
    log: new LocalNotificationLog({ path: notificationLogPath(root) }),
    silences: new LocalSilenceStore({ path: silenceStorePath(root) }),
    // Acknowledgements written by `serve` (Slack buttons): no repeats while that firing lasts.
    acks: new LocalConditionAckStore({ path: interactionStatePaths(root).acks }),
    notifiers,
    clock: () => new Date(),
  };
}
