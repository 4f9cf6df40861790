import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalogOverlay } from '../../src/adapters/catalog/overlay-source.js';
import { readPriceList } from '../../src/adapters/pricing/price-list-source.js';
import { parseCatalogFile } from '../../src/config/catalog-file.js';
import { loadModelCatalog } from '../../src/config/model-catalog.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { resolveMarketplaceName, resolveUsageTypeToken } from '../../src/core/normalize/model-catalog.js';
import { ensureBuilt, ROOT, runCli, runCliAsync } from '../helpers/cli.js';
import { readBody, startLoopbackServer } from '../helpers/loopback-server.js';

interface Recorded {
  pageSize: number;
  products: Record<string, unknown[]>;
}

const RECORDED = JSON.parse(
  await readFile(join(ROOT, 'fixtures/pricing/bedrock-get-products.json'), 'utf8'),
) as Recorded;

/**
 * The Price List Query API as the SDK speaks it: AWS JSON 1.1 over POST /, X-Amz-Target
 * AWSPriceListService.GetProducts, PriceList an array of JSON strings, NextToken while more pages remain.
 */
async function priceListServer() {
  const requests: { target: string; body: Record<string, unknown> }[] = [];
  const server = await startLoopbackServer(async (req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    requests.push({ target, body });
    if (
      target !== 'AWSPriceListService.GetProducts' ||
      req.headers['content-type'] !== 'application/x-amz-json-1.1' ||
      !(String(body.ServiceCode) in RECORDED.products)
    ) {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'InvalidParameterException', Message: `unexpected ${target}` }));
      return;
    }
    const products = RECORDED.products[String(body.ServiceCode)] ?? [];
    const size = Math.min(Number(body.MaxResults ?? 100), RECORDED.pageSize);
    const start = body.NextToken ? Number(String(body.NextToken).split(':')[1]) : 0;
    const page = products.slice(start, start + size);
    const next = start + size < products.length ? `${String(body.ServiceCode)}:${start + size}` : undefined;
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(
      JSON.stringify({
        FormatVersion: 'aws_v1',
        PriceList: page.map((p) => JSON.stringify(p)),
        ...(next ? { NextToken: next } : {}),
      }),
    );
  });
  return { ...server, endpoint: `http://127.0.0.1:${server.port}`, requests };
}

const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_REGION: 'us-east-1',
};

describe('catalog update against a loopback Price List server', () => {
  let server: Awaited<ReturnType<typeof priceListServer>>;
  beforeAll(async () => {
    ensureBuilt();
    server = await priceListServer();
  });
  afterAll(() => server.close());

  it('reads every page of the three Bedrock service codes, PriceList strings parsed', async () => {
    server.requests.length = 0;
    const previous = { ...process.env };
    Object.assign(process.env, CREDENTIALS);
    try {
      const read = await readPriceList({
        serviceCodes: ['AmazonBedrock', 'AmazonBedrockFoundationModels', 'AmazonBedrockService'],
        endpoint: server.endpoint,
      });
      expect(read.pages).toEqual({
        AmazonBedrock: 2,
        AmazonBedrockFoundationModels: 2,
        AmazonBedrockService: 1,
      });
      expect(read.products).toHaveLength(8 + 5 + 2);
      expect(read.products[0]!.product!.attributes!.usagetype).toBe('USE1-NovaPro-input-tokens');
      // The second page of a service code is asked for with the token the first page returned.
      const bedrock = server.requests.filter((r) => r.body.ServiceCode === 'AmazonBedrock');
      expect(bedrock.map((r) => r.body.NextToken)).toEqual([undefined, 'AmazonBedrock:4']);
      expect(bedrock[0]!.body).toMatchObject({ FormatVersion: 'aws_v1', MaxResults: 100 });
    } finally {
      process.env = previous;
    }
  });

  it('learns the models and spellings the catalog lacks, writes the overlay, and ingest-time loading uses it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bc-catalog-'));
    const overlay = join(dir, 'catalog-overlay.json');
    const config = join(dir, 'config.yaml');
    await writeFile(config, `version: 1\ncatalog:\n  overlay: ${overlay}\n`);
    const before = loadModelCatalog(DEFAULT_CONFIG);
    expect(resolveUsageTypeToken(before, 'deepseek.v3.2')).toBeUndefined();
    expect(resolveMarketplaceName(before, 'Claude Opus 5 (Amazon Bedrock Edition)')).toBeUndefined();

    const run = await runCliAsync(
      ['catalog', 'update', '--config', config, '--endpoint', server.endpoint, '--format', 'json'],
      { env: CREDENTIALS },
    );
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as {
      products: number;
      learned: { id: string; kind: string; from: string; service_code: string; usage_types: string[] }[];
      new_usage_types: string[];
      overlay: { path: string; models: number; written: boolean };
    };
    expect(report.products).toBe(15);
    expect(report.learned.map((l) => [l.id, l.kind, l.from])).toEqual([
      ['anthropic.claude-opus-5', 'new-model', 'Claude Opus 5 (Amazon Bedrock Edition)'],
      ['deepseek.v3.2', 'new-model', 'deepseek.v3.2'],
      ['moonshotai.kimi-k3', 'new-model', 'moonshotai.kimi-k3'],
    ]);
    // Both Claude Opus 5 usage types are reported; models the catalog has (Nova Pro, Claude Sonnet 4.6, the
    // mantle spelling of gpt-oss-120b) and lines without a model (Guardrails) teach nothing.
    expect(report.learned[0]!.usage_types).toEqual([
      'USE1-MP:USE1_InputTokenCount_Global-Units',
      'USE1-MP:USE1_OutputTokenCount_Global-Units',
    ]);
    expect(report.new_usage_types).toContain('USE1-MP:USE1_OutputTokenCount_Global-Units');
    expect(report.new_usage_types).not.toContain('USE1-NovaPro-input-tokens');
    expect(report.new_usage_types).toHaveLength(4);
    expect(report.overlay).toEqual({ path: overlay, models: 3, written: true });

    // The overlay is a catalog file (catalog/models.json schema) and the catalog the CLI loads resolves it.
    const written = parseCatalogFile(JSON.parse(await readFile(overlay, 'utf8')), overlay);
    expect(written.find((m) => m.id === 'anthropic.claude-opus-5')).toEqual({
      id: 'anthropic.claude-opus-5',
      family: 'claude',
      provider: 'anthropic',
      tier: 'premium',
      usage_type_tokens: [],
      marketplace_names: ['Claude Opus 5'],
    });
    const after = loadModelCatalog(DEFAULT_CONFIG, await readCatalogOverlay(overlay, {} as never));
    expect(resolveUsageTypeToken(after, 'deepseek.v3.2')?.id).toBe('deepseek.v3.2');
    expect(resolveUsageTypeToken(after, 'moonshotai.kimi-k3')?.provider).toBe('moonshotai');
    expect(resolveMarketplaceName(after, 'Claude Opus 5 (Amazon Bedrock Edition)')?.id).toBe(
      'anthropic.claude-opus-5',
    );
    const validate = runCli(['config', 'validate', config, '--format', 'json']);
    expect(validate.status, validate.stderr).toBe(0);
    expect((JSON.parse(validate.stdout) as { models: number }).models).toBe(before.models.length + 3);

    // A second run learns nothing new and keeps the overlay.
    const again = await runCliAsync(
      ['catalog', 'update', '--config', config, '--endpoint', server.endpoint],
      {
        env: CREDENTIALS,
      },
    );
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^Read 15 product\(s\): AmazonBedrock 2 page\(s\)/);
    expect(again.stdout).toContain('Nothing new');
    expect(again.stdout).toContain(`Overlay ${overlay}: 3 model(s)`);
  });

  it('prints the learned models as a table, and writes nothing on --dry-run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bc-catalog-dry-'));
    const out = join(dir, 'overlay.json');
    const run = await runCliAsync(
      ['catalog', 'update', '--out', out, '--endpoint', server.endpoint, '--dry-run'],
      {
        env: CREDENTIALS,
      },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Learned 3 model\(s\) from 4 usage type\(s\):/);
    expect(run.stdout).toMatch(
      /deepseek\.v3\.2\s+new-model\s+deepseek\.v3\.2\s+AmazonBedrock\s+USE1-deepseek\.v3\.2-input-tokens/,
    );
    expect(run.stdout).toContain('Dry run: nothing written.');
    await expect(readFile(out, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('names the service code and page when the API fails, and exits non-zero', async () => {
    const out = join(tmpdir(), 'bc-catalog-never.json');
    const failed = await runCliAsync(
      [
        'catalog',
        'update',
        '--out',
        out,
        '--endpoint',
        server.endpoint,
        '--service-code',
        'AmazonBedrockNope',
      ],
      { env: CREDENTIALS },
    );
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toMatch(
      /Price List GetProducts AmazonBedrockNope \(page 1, http:\/\/127\.0\.0\.1:\d+\): .*unexpected/,
    );
    const badSize = runCli(['catalog', 'update', '--out', out, '--page-size', '0'], { env: CREDENTIALS });
    expect(badSize.status).not.toBe(0);
    expect(badSize.stderr).toMatch(/--page-size must be an integer from 1 to 100, got "0"/);
  });
});
