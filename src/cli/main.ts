import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { describeError } from '../core/errors.js';
import { printable } from '../core/render/text-table.js';
import { registerCommands } from './commands/index.js';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'));
  return String(pkg.version);
}

/** Entry point: returns the process exit code instead of exiting, so tests can call it in-process. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('bedrock-cost')
    .description(
      'Bill-accurate Amazon Bedrock spend per workload and model from the AWS Cost and Usage Report (CUR):\n' +
        'ingest CUR deliveries into daily facts, query them, detect anomalies and send alerts and digests.',
    )
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  await registerCommands(program, argv.slice(2));
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode;
    }
    // Messages can quote data (paths, tag values): no control character reaches the terminal raw.
    const message = describeError(error).split('\n').map(printable).join('\n');
    process.stderr.write(`bedrock-cost: ${message}\n`);
    return 1;
  }
}
