import type { Command } from 'commander';

type CommandFactory = () => Promise<Command>;

/**
 * Each command lives in its own file. Commands are loaded on demand: a run imports only the module of the
 * command it names, so `ingest` does not pay for loading the Slack, SNS, Athena and CDK-adjacent SDKs at
 * start-up (help and unknown commands load them all, to list them).
 */
const COMMANDS: readonly [string, CommandFactory][] = [
  ['ingest', async () => (await import('./ingest.js')).ingestCommand()],
  ['facts', async () => (await import('./facts.js')).factsCommand()],
  ['detect', async () => (await import('./detect.js')).detectCommand()],
  ['notify', async () => (await import('./detect.js')).notifyCommand()],
  ['early-warning', async () => (await import('./early-warning.js')).earlyWarningCommand()],
  ['digest', async () => (await import('./digest.js')).digestCommand()],
  ['review', async () => (await import('./review.js')).reviewCommand()],
  ['silence', async () => (await import('./silence.js')).silenceCommand()],
  ['serve', async () => (await import('./serve.js')).serveCommand()],
  ['feedback', async () => (await import('./feedback.js')).feedbackCommand()],
  ['routes', async () => (await import('./routes.js')).routesCommand()],
  ['watch', async () => (await import('./watch.js')).watchCommand()],
  ['backfill', async () => (await import('./backfill.js')).backfillCommand()],
  ['fixtures', async () => (await import('./fixtures.js')).fixturesCommand()],
  ['config', async () => (await import('./config.js')).configCommand()],
  ['catalog', async () => (await import('./catalog.js')).catalogCommand()],
];

/** Adds the command `args` names (the first non-option argument), or every command when it names none. */
export async function registerCommands(program: Command, args: readonly string[]): Promise<void> {
  const named = args.find((a) => !a.startsWith('-'));
  const match = COMMANDS.find(([name]) => name === named);
  for (const [, load] of match ? [match] : COMMANDS) program.addCommand(await load());
}
