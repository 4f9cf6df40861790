import { Option } from 'commander';

export type OutputFormat = 'table' | 'json' | 'csv';

export function formatOption(formats: readonly OutputFormat[] = ['table', 'json', 'csv']): Option {
  return new Option('--format <format>', 'output format').choices([...formats]).default('table');
}

/** JSON with bigint money written as exact decimal strings by the caller; this only pretty-prints. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
