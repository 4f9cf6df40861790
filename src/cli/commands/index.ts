import type { Command } from 'commander';
import { configCommand } from './config.js';
import { factsCommand } from './facts.js';
import { ingestCommand } from './ingest.js';

/** Each command lives in its own file and adds itself to the program here. */
export function registerCommands(program: Command): void {
  program.addCommand(ingestCommand());
  program.addCommand(factsCommand());
  program.addCommand(configCommand());
}
