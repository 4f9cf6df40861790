import { resolve } from 'node:path';
import { Command } from 'commander';
import { startInteractionServer } from '../../adapters/http/interaction-server.js';
import {
  interactionStatePaths,
  LocalConditionAckStore,
  LocalFeedbackStore,
  LocalReplayGuard,
} from '../../adapters/local-fs/interaction-stores.js';
import { LocalSilenceStore, silenceStorePath } from '../../adapters/local-fs/silence-store.js';
import { SlackChatUpdater } from '../../adapters/slack/message-updater.js';
import { handleSlackInteraction } from '../../app/slack-interactivity.js';
import { parseDurationMs } from '../../core/alerting/duration.js';
import { DEFAULT_SLACK_TOKEN_REF } from '../../core/alerting/receivers.js';
import { storeRoot } from '../wiring.js';

interface ServeOptions {
  host: string;
  port: string;
  store?: string;
  teamId?: string;
  signingSecretEnv: string;
  tokenEnv: string;
  notAnomalySilence: string;
}

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

export function serveCommand(): Command {
  return new Command('serve')
    .summary('receive Slack button presses (Acknowledge, Snooze, Not an anomaly) locally')
    .description(
      "Run the Slack interactivity endpoint for the embedded (local) mode: point the Slack app's Interactivity " +
        'Request URL at https://<this host>/slack/interactivity (through a tunnel or a reverse proxy with TLS). ' +
        "Each request is checked against the app's signing secret (v0 HMAC, 5-minute window, single use) and " +
        'the workspace id, then recorded under <store>/state/ (acknowledgements, silences, feedback), and the ' +
        'alert message is updated in place with chat.update.\n\n' +
        'Environment: the signing secret in $SLACK_SIGNING_SECRET and the bot token (chat:write) in ' +
        '$SLACK_BOT_TOKEN (names changeable below); $SLACK_API_URL for another Slack API base (GovSlack).',
    )
    .option(
      '--host <address>',
      'address to bind; keep the default unless a proxy on another host forwards',
      '127.0.0.1',
    )
    .option('--port <port>', 'port to listen on (0 picks a free one)', '3000')
    .option('--store <dir>', 'state root (default ./.bedrock-cost, or $BEDROCK_COST_STORE)')
    .option(
      '--team-id <id>',
      'the Slack workspace (team) id whose requests are accepted, e.g. T0123ABCD (or $SLACK_TEAM_ID)',
    )
    .option(
      '--signing-secret-env <name>',
      'environment variable holding the signing secret',
      'SLACK_SIGNING_SECRET',
    )
    .option('--token-env <name>', 'environment variable holding the bot token', DEFAULT_SLACK_TOKEN_REF)
    .option('--not-anomaly-silence <duration>', 'how long "Not an anomaly" silences the condition', '30d')
    .action(async (options: ServeOptions) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535)
        throw new Error(`--port must be a port number (0 to 65535), got "${options.port}"`);
      const teamId = options.teamId ?? process.env.SLACK_TEAM_ID;
      if (!teamId || !/^[A-Z0-9]{2,32}$/.test(teamId))
        throw new Error(
          'a Slack workspace id is required: --team-id T0123ABCD or $SLACK_TEAM_ID (Slack: workspace settings, or the team.id of any payload)',
        );
      for (const [flag, name] of [
        ['--signing-secret-env', options.signingSecretEnv],
        ['--token-env', options.tokenEnv],
      ] as const) {
        if (!ENV_NAME.test(name)) throw new Error(`${flag} must name an environment variable, got "${name}"`);
      }
      const secret = process.env[options.signingSecretEnv];
      if (!secret)
        throw new Error(
          `no signing secret: set $${options.signingSecretEnv} (Slack app → Basic Information → Signing Secret)`,
        );
      const silenceMs = parseDurationMs(options.notAnomalySilence);
      if (silenceMs === null || silenceMs <= 0)
        throw new Error(`--not-anomaly-silence must look like 7d or 2w, got "${options.notAnomalySilence}"`);
      if (!process.env[options.tokenEnv])
        process.stderr.write(
          `warning: $${options.tokenEnv} is not set: actions are recorded but messages are not updated\n`,
        );

      const root = resolve(storeRoot(options.store));
      const paths = interactionStatePaths(root);
      const deps = {
        signingSecret: async () => secret,
        settings: { teamId, notAnomalySilenceMs: silenceMs },
        acks: new LocalConditionAckStore({ path: paths.acks }),
        silences: new LocalSilenceStore({ path: silenceStorePath(root) }),
        feedback: new LocalFeedbackStore({ path: paths.feedback }),
        replay: new LocalReplayGuard({ path: paths.replay }),
        slack: new SlackChatUpdater({
          token: async () => process.env[options.tokenEnv],
          tokenRef: options.tokenEnv,
          slackApiUrl: process.env.SLACK_API_URL,
        }),
        clock: () => new Date(),
      };
      const server = await startInteractionServer((request) => handleSlackInteraction(request, deps), {
        host: options.host,
        port,
        onResponse: (r) => process.stderr.write(`${new Date().toISOString()} ${r.status} ${r.outcome}\n`),
      });
      process.stdout.write(`listening on ${server.url} (state: ${root}/state)\n`);
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          done();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await server.close();
    });
}
