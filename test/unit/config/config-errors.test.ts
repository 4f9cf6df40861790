import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/parse-config.js';
import { ConfigError } from '../../../src/core/errors.js';

const error = (text: string, source = 'team.yaml'): ConfigError => {
  try {
    parseConfigText(text, source);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('config errors a person can act on', () => {
  it('a YAML alias bomb is refused as a ConfigError naming the file', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g'].entries()) {
      const prev = String.fromCharCode('a'.charCodeAt(0) + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const e = error(`${levels.join('\n')}\n`);
    expect(e.message).toMatch(/^team\.yaml: invalid YAML: Excessive alias count/);
  });

  it('an unquoted account id that lost its leading zero suggests quoting it', () => {
    const e = error('accounts:\n  012345678901:\n    name: prod-genai\n');
    expect(e.message).toContain(
      'accounts.12345678901: invalid key, expected a 12-digit AWS account id; YAML read an unquoted 012345678901 as the number 12345678901: quote the account id ("012345678901": …)',
    );
  });

  it('the quoted account id is accepted', () => {
    const config = parseConfigText('accounts:\n  "012345678901":\n    name: prod-genai\n', 'team.yaml');
    expect(Object.keys(config.accounts)).toEqual(['012345678901']);
  });
});
