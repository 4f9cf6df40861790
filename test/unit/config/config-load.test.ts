import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { parseConfigText } from '../../../src/config/parse-config.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import { ConfigError } from '../../../src/core/errors.js';

describe('config loading', () => {
  it('without a file, gives exactly the schema defaults (catalog/default-config.json is current)', async () => {
    // On failure: npm run build && node scripts/write-default-config.mjs
    expect(await loadConfig(undefined)).toStrictEqual(ConfigSchema.parse({}));
  });

  it('gives every caller its own copy of the defaults', async () => {
    const first = await loadConfig(undefined);
    first.attribution.tag_keys.workload.push('changed');
    expect((await loadConfig(undefined)).attribution.tag_keys.workload).not.toContain('changed');
  });

  it('applies defaults to an empty file', () => {
    const config = parseConfigText('', 'empty.yaml');
    expect(config.attribution.tag_keys.workload).toEqual(['workload', 'application', 'app']);
    expect(config.attribution.precedence).toEqual(['resource', 'principal', 'account']);
  });

  it('names the path and the allowed keys of a typo', () => {
    expect(() => parseConfigText('attribution:\n  tag_key: {}\n', 'c.yaml')).toThrow(
      'c.yaml: invalid config\n  - attribution.tag_key: unknown key; allowed keys: tag_keys, precedence',
    );
  });

  it('names a nested account key and its allowed keys', () => {
    expect(() => parseConfigText('accounts:\n  "111122223333": { nme: prod }\n', 'c.yaml')).toThrow(
      '  - accounts.111122223333.nme: unknown key; allowed keys: name, environment, workload, team, cost_center',
    );
  });

  it('rejects an account id that is not 12 digits', () => {
    expect(() => parseConfigText('accounts:\n  "1234": {}\n', 'c.yaml')).toThrow(
      '  - accounts.1234: invalid key, expected a 12-digit AWS account id',
    );
  });

  it('rejects a bad enum value with its path', () => {
    expect(() => parseConfigText('attribution:\n  precedence: [resource, tags]\n', 'c.yaml')).toThrow(
      /attribution\.precedence\[1\]: /,
    );
  });

  it('reports YAML syntax errors with line and column', () => {
    expect(() => parseConfigText('accounts: [\n', 'bad.yaml')).toThrow(/^bad\.yaml:\d+:\d+: invalid YAML/);
  });

  it('names an unreadable file', async () => {
    const error = await loadConfig('/nonexistent/config.yaml').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe('/nonexistent/config.yaml: cannot read config file (ENOENT)');
  });

  it('reads a file from disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bc-config-'));
    const file = join(dir, 'c.yaml');
    await writeFile(file, 'accounts:\n  "111122223333": { name: prod-genai, environment: prod }\n');
    const config = await loadConfig(file);
    expect(config.accounts['111122223333']).toEqual({ name: 'prod-genai', environment: 'prod' });
  });
});
