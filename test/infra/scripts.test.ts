import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

describe('infra scripts', () => {
  it.each([
    'scripts/synth.sh',
    'scripts/package-lambda.sh',
    'scripts/deploy-check.sh',
    'scripts/update-lock.sh',
  ])('%s is valid bash', (script) => {
    expect(() => execFileSync('bash', ['-n', resolve(ROOT, script)])).not.toThrow();
  });
});
