import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReviewConfigSchema } from '../../src/config/digest-schema.js';
import { loadConfig } from '../../src/config/load.js';
import { MODEL_UNIT_TPM } from '../../src/fixtures/commitment-utilization.js';
import { generateCur } from '../../src/fixtures/generate.js';
import { ensureBuilt, ROOT, runCli } from '../helpers/cli.js';

const CONFIG = join(ROOT, 'fixtures/config/demo.yaml');

interface ReviewedCommitment {
  id: string;
  kind: string;
  units: number;
  hours: { active: number; idle: number; unknown: number };
  on_demand_equivalent: string | null;
  utilization: number | null;
  break_even_utilization: number | null;
  recommendation: string;
  target_units: number | null;
  effect: string | null;
  reasons: string[];
}

/**
 * `make demo` in small: the demo's generator settings (anomalies scenario, 5 accounts, 11 workloads, seed 42)
 * over June only, ingested and reviewed with the demo config and the utilization file the generator wrote.
 */
describe('the demo quarterly review judges every commitment', () => {
  let commitments: ReviewedCommitment[];
  let table: string;

  beforeAll(async () => {
    ensureBuilt();
    const dir = await mkdtemp(join(tmpdir(), 'bc-demo-review-'));
    const result = await generateCur({
      outDir: join(dir, 'cur'),
      scenario: 'anomalies',
      start: '2026-06-01',
      days: 30,
      accounts: 5,
      workloads: 11,
      seed: 42,
    });
    expect(result.utilizationPath).toBe(join(result.root, 'utilization.json'));
    const store = join(dir, 'store');
    const ingest = runCli(['ingest', result.root, '--store', store, '--config', CONFIG, '--format', 'json']);
    expect(ingest.status, ingest.stderr).toBe(0);
    const args = [
      'review',
      'provisioned',
      '--store',
      store,
      '--config',
      CONFIG,
      '--quarter',
      '2026-Q2',
      '--now',
      '2026-07-05T00:00:00Z',
      '--out',
      join(dir, 'reports'),
      '--utilization-file',
      result.utilizationPath!,
    ];
    const json = runCli([...args, '--format', 'json']);
    expect(json.status, json.stderr).toBe(0);
    commitments = (JSON.parse(json.stdout) as { commitments: ReviewedCommitment[] }).commitments;
    const text = runCli(args);
    expect(text.status, text.stderr).toBe(0);
    table = text.stdout;
  }, 300_000);

  it('gives every commitment a utilization, an on-demand equivalent, a break-even and a valued verdict', () => {
    // 3 PT of the baseline, the idle PT of the anomalies scenario, Reserved tier input and output.
    expect(commitments).toHaveLength(6);
    for (const c of commitments) {
      expect(c.recommendation, c.id).not.toBe('verify');
      expect(c.hours.unknown, c.id).toBe(0);
      expect(c.utilization, c.id).not.toBeNull();
      expect(c.on_demand_equivalent, c.id).not.toBeNull();
      expect(c.break_even_utilization, c.id).not.toBeNull();
      expect(c.effect, c.id).not.toBeNull();
    }
    expect(table).not.toMatch(/verify/i);
  });

  it('reaches a verdict that follows from the figures', () => {
    const byAction = (action: string) => commitments.filter((c) => c.recommendation === action);
    expect(new Set(commitments.map((c) => c.recommendation))).toEqual(
      new Set(['keep', 'reduce-units', 'let-expire', 'move-to-on-demand']),
    );
    for (const c of byAction('keep')) expect(c.utilization!).toBeGreaterThan(c.break_even_utilization!);
    for (const c of [...byAction('let-expire'), ...byAction('move-to-on-demand')]) {
      expect(c.utilization!, c.id).toBeLessThan(c.break_even_utilization!);
      expect(Number(c.effect), c.id).toBeGreaterThan(0);
    }
    const [reduced] = byAction('reduce-units');
    expect(reduced!.units).toBe(2);
    expect(reduced!.target_units).toBe(1);
    // The idle PT: measured idle hours, zero utilization, its whole cost is the saving.
    const idle = commitments.find((c) => c.hours.active === 0)!;
    expect(idle.utilization).toBe(0);
    expect(idle.recommendation).toBe('move-to-on-demand');
    // Reserved tier costs on-demand's price at full use: below it, the review says so.
    for (const c of commitments.filter((x) => x.kind === 'reserved-tier')) {
      expect(c.units).toBeGreaterThanOrEqual(c.id.includes('#reserved-input') ? 100 : 10);
      expect(c.reasons.join(' ')).toMatch(/guaranteed capacity, not a discount/);
    }
  });

  it('states the generator model-unit throughput in the demo config', async () => {
    const config = await loadConfig(CONFIG);
    const review = ReviewConfigSchema.parse((config as { review?: unknown }).review ?? {});
    expect(
      Object.fromEntries(Object.entries(review.model_units).map(([m, u]) => [m, u.tokens_per_minute])),
    ).toEqual(MODEL_UNIT_TPM);
    const demo = await readFile(join(ROOT, 'scripts/demo.sh'), 'utf8');
    expect(demo).toMatch(/--workloads 11 /);
    expect(demo).toContain('--utilization-file "$OUT/cur/bedrock-cost-cur2/utilization.json"');
  });
});
