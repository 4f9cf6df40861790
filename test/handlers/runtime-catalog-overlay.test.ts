import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveMarketplaceName, resolveUsageTypeToken } from '../../src/core/normalize/model-catalog.js';
import { createRuntime } from '../../src/handlers/runtime/runtime.js';

/** A runtime whose package root is `pkg`, reading its config from `pkg/bedrock-cost.yaml`. */
function runtimeIn(pkg: string) {
  return createRuntime({
    env: {
      BEDROCK_COST_STORE: 's3://facts/bedrock-cost',
      BEDROCK_COST_STATE_TABLE: 'state',
      BEDROCK_COST_CONFIG: 'bedrock-cost.yaml',
      AWS_REGION: 'us-east-1',
    },
    baseDir: pkg,
    workDir: join(pkg, 'tmp'),
  });
}

describe('Lambda runtime: catalog.overlay', () => {
  it('merges the overlay bundled in the package over the bundled catalog', async () => {
    const pkg = await mkdtemp(join(tmpdir(), 'bc-lambda-pkg-'));
    await mkdir(join(pkg, 'catalog'));
    await writeFile(
      join(pkg, 'catalog', 'overlay.json'),
      JSON.stringify({
        models: [
          {
            id: 'deepseek.v3.2',
            family: 'v3',
            provider: 'deepseek',
            tier: 'standard',
            usage_type_tokens: ['deepseek.v3.2'],
            marketplace_names: [],
          },
          {
            id: 'anthropic.claude-opus-5',
            family: 'claude',
            provider: 'anthropic',
            tier: 'premium',
            usage_type_tokens: [],
            marketplace_names: ['Claude Opus 5'],
          },
        ],
      }),
    );
    await writeFile(
      join(pkg, 'bedrock-cost.yaml'),
      'version: 1\ncatalog:\n  overlay: catalog/overlay.json\n',
    );
    const runtime = runtimeIn(pkg);
    const { catalog } = await runtime.serviceConfig();
    expect(resolveUsageTypeToken(catalog, 'deepseek.v3.2')?.id).toBe('deepseek.v3.2');
    expect(resolveMarketplaceName(catalog, 'Claude Opus 5 (Amazon Bedrock Edition)')?.tier).toBe('premium');
    // The bundled models are still there.
    expect(resolveUsageTypeToken(catalog, 'NovaPro')?.id).toBe('amazon.nova-pro');
  });

  it('names the overlay file when it is not a catalog', async () => {
    const pkg = await mkdtemp(join(tmpdir(), 'bc-lambda-pkg-'));
    await writeFile(join(pkg, 'overlay.json'), JSON.stringify({ models: [{ id: 'x' }] }));
    await writeFile(join(pkg, 'bedrock-cost.yaml'), 'version: 1\ncatalog:\n  overlay: overlay.json\n');
    const runtime = runtimeIn(pkg);
    await expect(runtime.serviceConfig()).rejects.toThrow(/catalog\.overlay .*overlay\.json is invalid/);
  });
});
