import type { Command } from 'commander';
import { backfillCommand } from './backfill.js';
import { configCommand } from './config.js';
import { detectCommand, notifyCommand } from './detect.js';
import { digestCommand } from './digest.js';
import { factsCommand } from './facts.js';
import { fixturesCommand } from './fixtures.js';
import { ingestCommand } from './ingest.js';
import { reviewCommand } from './review.js';
import { routesCommand } from './routes.js';
import { silenceCommand } from './silence.js';
import { watchCommand } from './watch.js';

/** Each command lives in its own file and adds itself to the program here. */
export function registerCommands(program: Command): void {
  program.addCommand(ingestCommand());
  program.addCommand(factsCommand());
  program.addCommand(detectCommand());
  program.addCommand(notifyCommand());
  program.addCommand(digestCommand());
  program.addCommand(reviewCommand());
  program.addCommand(silenceCommand());
  program.addCommand(routesCommand());
  program.addCommand(watchCommand());
  program.addCommand(backfillCommand());
  program.addCommand(fixturesCommand());
  program.addCommand(configCommand());
}
