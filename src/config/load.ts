import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../core/errors.js';
import type { Config } from './schema.js';

/**
 * The built-in defaults, as `ConfigSchema.parse({})` gives them, kept as data (a test holds the file to the schema;
 * `node scripts/write-default-config.mjs` rewrites it). Commands without `--config` read this file instead of
 * loading the YAML parser and building the zod schema, which costs ~0.15 s of every run's start-up.
 * Both src/config/ and dist/config/ sit two levels below the package root.
 */
export const DEFAULT_CONFIG_PATH = fileURLToPath(
  new URL('../../catalog/default-config.json', import.meta.url),
);

let defaults: Config | undefined;

/** Reads and validates a YAML config file; with no path, the built-in defaults apply. */
export async function loadConfig(path: string | undefined): Promise<Config> {
  if (path === undefined) {
    defaults ??= JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, 'utf8')) as Config;
    return structuredClone(defaults);
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `${path}: cannot read config file (${(error as NodeJS.ErrnoException).code ?? error})`,
      {
        cause: error,
      },
    );
  }
  const { parseConfigText } = await import('./parse-config.js');
  return parseConfigText(text, path);
}
