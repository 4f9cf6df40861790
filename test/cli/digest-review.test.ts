import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { localFactStore } from '../../src/adapters/local-fs/fact-store.js';
import { digestCommand } from '../../src/cli/commands/digest.js';
import { reviewCommand } from '../../src/cli/commands/review.js';
import type { DailyFact } from '../../src/core/facts/daily-fact.js';
import { generateFacts } from '../helpers/digest-facts.js';

async function cli(args: string[]): Promise<{ stdout: string; code: number }> {
  const program = new Command('bedrock-cost').exitOverride();
  program.addCommand(digestCommand());
  program.addCommand(reviewCommand());
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'bedrock-cost', ...args]);
  } finally {
    spy.mockRestore();
  }
  const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  process.exitCode = undefined;
  return { stdout, code };
}

describe('digest weekly / review provisioned commands', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'digest-cli-'));
    const store = localFactStore(join(dir, 'store'));
    const facts = generateFacts('2026-05-01', '2026-06-14');
    const byPeriod = new Map<string, DailyFact[]>();
    for (const f of facts) byPeriod.set(f.billingPeriod, [...(byPeriod.get(f.billingPeriod) ?? []), f]);
    for (const [period, list] of byPeriod) {
      await store.replacePeriod('cur2', period, list, {
        snapshotId: `snap-${period}`,
        newestUsageEnd: period === '2026-06' ? '2026-06-14T23:00:00Z' : '2026-06-01T00:00:00Z',
      });
    }
    await writeFile(
      join(dir, 'config.yaml'),
      `routes:\n  receiver: finance-archive\nreceivers:\n  - name: finance-archive\n    console: { dir: ${JSON.stringify(join(dir, 'notifications'))} }\n`,
    );
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const common = () => [
    '--store',
    join(dir, 'store'),
    '--now',
    '2026-06-15T09:00:00Z',
    '--out',
    join(dir, 'out'),
  ];

  it('writes CSV / HTML / JSON and prints the chargeback with the reconciliation', async () => {
    const { stdout, code } = await cli(['digest', 'weekly', '--week', '2026-W23', ...common()]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Bedrock chargeback 2026-W23: \$[\d,.]+/);
    expect(stdout).toMatch(
      /Total \$[\d,.]+ = Σ Bedrock cost for 2026-W23 \$[\d,.]+ — difference \$0\.000000/,
    );
    expect(stdout).toContain('shared-commitments');
    expect((await readdir(join(dir, 'out'))).sort()).toEqual([
      'bedrock-chargeback-2026-W23.csv',
      'bedrock-chargeback-2026-W23.html',
      'bedrock-chargeback-2026-W23.json',
    ]);
  });

  it('defaults to the last ended week, JSON output carries exact decimals', async () => {
    const { stdout } = await cli(['digest', 'weekly', ...common(), '--format', 'json']);
    const json = JSON.parse(stdout);
    expect(json.week).toBe('2026-W24');
    // Data reaches 14 Jun 23:00: Thu 11 Jun is the last final day of W24.
    expect(json.complete).toBe(false);
    expect(json.final_days.at(-1)).toBe('2026-06-11');
    expect(json.reconciliation.ok).toBe(true);
    expect(json.chargeback[0].this_week).toMatch(/^-?\d+(\.\d+)?$/);
  });

  it('--send delivers once per receiver and week; the re-run is a no-op', async () => {
    const args = [
      'digest',
      'weekly',
      '--week',
      '2026-W23',
      ...common(),
      '--config',
      join(dir, 'config.yaml'),
      '--receiver',
      'finance-archive',
      '--send',
    ];
    const first = await cli(args);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/finance-archive\s+console\s+delivered/);
    const second = await cli(args);
    expect(second.stdout).toMatch(/finance-archive\s+console\s+already-sent/);
    const sent = await readFile(join(dir, 'notifications', 'sent.jsonl'), 'utf8');
    expect(sent.trim().split('\n')).toHaveLength(1);
  });

  it('rejects a week that does not exist', async () => {
    await expect(cli(['digest', 'weekly', '--week', '2025-W53', ...common()])).rejects.toThrow(/ISO week/);
  });

  it('review provisioned lists the commitments in the store', async () => {
    const { stdout, code } = await cli([
      'review',
      'provisioned',
      '--quarter',
      '2026-Q2',
      ...common(),
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.quarter).toBe('2026-Q2');
    expect(json.complete).toBe(false);
    expect(json.commitments.map((c: { kind: string; term: string }) => `${c.kind}:${c.term}`).sort()).toEqual(
      ['provisioned-throughput:1-month', 'reserved-tier:1-month'],
    );
    // No utilization source, and the same account sends Nova 2 Lite on-demand: bought but bypassed.
    const pt = json.commitments.find((c: { kind: string }) => c.kind === 'provisioned-throughput');
    expect(pt.recommendation).toBe('let-expire');
    expect(pt.reasons[0]).toMatch(/^Bought but bypassed/);
    expect(json.files).toHaveLength(4);
  });
});
