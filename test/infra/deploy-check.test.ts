import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { BedrockCostStack } from '../../infra/lib/bedrock-cost-stack.js';
import { checkSynthesized } from '../../infra/lib/deploy-check.js';
import { FEATURE_FLAGS } from '../../infra/lib/feature-flags.js';
import { checkPackage, elfArchitecture, type LambdaArchitecture } from '../../infra/lib/lambda-package.js';
import { fakeLambdaPackage, testSettings } from './helpers.js';

/** Synthesizes the stack into a fresh cloud assembly directory, staging the package as `cdk synth` does. */
function synthTo(packageDir: string, architecture: LambdaArchitecture): string {
  const outdir = mkdtempSync(join(tmpdir(), 'bedrock-cost-cdkout-'));
  const app = new App({ outdir, context: { ...FEATURE_FLAGS } });
  new BedrockCostStack(app, 'BedrockCost', {
    settings: testSettings({ lambdaPackageDir: packageDir, lambdaArchitecture: architecture }),
  });
  app.synth();
  return outdir;
}

describe('deploy check of a synthesized stack', () => {
  let pkg: string;
  let cdkOut: string;

  beforeAll(() => {
    pkg = fakeLambdaPackage(true, 'x86_64');
    // A dependency's README is part of the package; only the directory's own README.md is left out.
    mkdirSync(join(pkg, 'node_modules/some-dep'), { recursive: true });
    writeFileSync(join(pkg, 'node_modules/some-dep/README.md'), '# some-dep\n');
    writeFileSync(join(pkg, 'node_modules/some-dep/index.js'), 'export {};\n');
    cdkOut = synthTo(pkg, 'x86_64');
  });

  it('accepts a template whose four functions (ingest, digest, review, early warning) run exactly the package on its architecture', () => {
    const result = checkSynthesized(cdkOut, 'BedrockCost', pkg, 'x86_64');
    expect(result.problems).toEqual([]);
    expect(result.functions).toHaveLength(4);
  });

  it('names each function whose architecture is not the expected one', () => {
    const result = checkSynthesized(cdkOut, 'BedrockCost', pkg, 'arm64');
    expect(
      result.problems.filter((p) => p.includes('Architectures ["x86_64"], expected ["arm64"]')),
    ).toHaveLength(4);
    expect(result.problems).toContain(
      "asset's node_modules/@duckdb/node-bindings-linux-x64/duckdb.node is built for x86_64, the functions are arm64",
    );
  });

  it('notices a staged asset that is not the package byte for byte', () => {
    const other = fakeLambdaPackage(true, 'x86_64');
    const out = synthTo(other, 'x86_64');
    appendFileSync(join(other, 'dist/handlers/cur-delivery.js'), '// changed after synth\n');
    writeFileSync(join(other, 'extra.js'), '');
    expect(checkSynthesized(out, 'BedrockCost', other, 'x86_64').problems).toEqual([
      "asset's dist/handlers/cur-delivery.js differs from the package's",
      'asset lacks extra.js of the package',
    ]);
  });

  it('says when there is no assembly to check', () => {
    expect(checkSynthesized(join(cdkOut, 'none'), 'BedrockCost', pkg, 'x86_64').problems[0]).toMatch(
      /BedrockCost\.template\.json: did cdk synth run\?/,
    );
  });
});

describe('package check', () => {
  it('reads the architecture from the ELF header and refuses what Lambda cannot load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bedrock-cost-elf-'));
    writeFileSync(join(dir, 'macho.node'), Buffer.from([0xcf, 0xfa, 0xed, 0xfe, ...new Array(28).fill(0)]));
    expect(
      elfArchitecture(
        join(fakeLambdaPackage(true, 'x86_64'), 'node_modules/@duckdb/node-bindings-linux-x64/duckdb.node'),
      ),
    ).toBe('x86_64');
    expect(() => elfArchitecture(join(dir, 'macho.node'))).toThrow(/not an ELF binary/);
  });

  it('lists what makes a directory an invalid package for the requested architecture', () => {
    const pkg = fakeLambdaPackage(true, 'arm64');
    const report = checkPackage(pkg, 'x86_64');
    expect(report.architecture).toBe('arm64');
    expect(report.problems).toEqual(
      expect.arrayContaining([
        'missing package.json',
        'missing sql',
        'node_modules/@duckdb/node-bindings-linux-arm64/duckdb.node is built for arm64, not x86_64',
        'expected exactly the binding @duckdb/node-bindings-linux-x64, found @duckdb/node-bindings-linux-arm64',
      ]),
    );
  });
});
