import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isLiveFormula, parseCsv } from '../../src/core/report/csv.js';
import { ensureBuilt, ROOT, runCli } from '../helpers/cli.js';
import { FACTS_BUCKET, startS3rver } from '../helpers/s3rver.js';
import { dataFilePath, type TinyLine, writeCur2Manifest, writeTinyCur2 } from '../helpers/tiny-cur.js';

const HOSTILE = ['\t=1+2', '@SUM(1)', "+cmd|' /C calc'!A0", '\u001b[2J\u001b[31mred'];

const LINES: TinyLine[] = [
  ...HOSTILE.map((workload, i) => ({
    day: '2026-06-03',
    usageType: 'USE1-NovaLite-input-tokens',
    unit: '1K tokens',
    amount: String(1000 + i),
    cost: `0.0${i + 1}`,
    tags: { workload, costcenter: 'cc-1' },
  })),
  {
    day: '2026-06-04',
    usageType: 'USE1-Zeta9Ultra-input-tokens',
    unit: '1K tokens',
    amount: '10',
    cost: '15',
  },
];

describe('CLI: hostile tag values and wrong invocations', () => {
  let dir: string;
  let store: string;

  beforeAll(async () => {
    ensureBuilt();
    dir = await mkdtemp(join(tmpdir(), 'bc-cli-wrong-'));
    const exportRoot = join(dir, 'cur', 'exp');
    store = join(dir, 'store');
    await writeTinyCur2(dataFilePath(exportRoot, '2026-06', 'exp-00001.snappy.parquet'), LINES);
    await writeCur2Manifest(exportRoot, 'exp', '2026-06', ['exp-00001.snappy.parquet']);
    const ingest = runCli(['ingest', exportRoot, '--store', store]);
    expect(ingest.status, ingest.stderr).toBe(0);
  });

  it('facts --format csv writes tag values as text, never as live formulas', () => {
    const result = runCli(['facts', '--store', store, '--format', 'csv']);
    expect(result.status).toBe(0);
    const rows = parseCsv(result.stdout);
    const workload = rows[0]!.indexOf('workload');
    const workloads = rows.slice(1).map((r) => r[workload]);
    // The tab before "=" was trimmed by attribution, which would have made it a formula.
    expect(workloads).toEqual(expect.arrayContaining(["'=1+2", "'@SUM(1)", "'+cmd|' /C calc'!A0"]));
    expect(rows.flat().filter(isLiveFormula)).toEqual([]);
    const cost = rows[0]!.indexOf('cost_unblended');
    expect(rows.slice(1).map((r) => r[cost])).toContain('15');
  });

  it('facts --by workload --format csv neutralises too; the table escapes control characters', () => {
    const csv = runCli(['facts', '--store', store, '--by', 'workload', '--format', 'csv']);
    expect(parseCsv(csv.stdout).flat().filter(isLiveFormula)).toEqual([]);
    const table = runCli(['facts', '--store', store, '--by', 'workload']);
    expect(table.status).toBe(0);
    expect(table.stdout).not.toContain('\u001b');
    expect(table.stdout).toContain('\\x1b[2J\\x1b[31mred');
  });

  it.each([
    ['facts', ['facts']],
    ['detect', ['detect']],
    ['digest weekly', ['digest', 'weekly', '--week', '2026-W23']],
  ])('%s on a --store that does not exist is an error', (_name, args) => {
    const missing = join(dir, 'no-such-store');
    const result = runCli([...args, '--store', missing]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`no fact store at ${missing}`);
    expect(result.stdout).not.toContain('No findings');
  });

  it('facts on an s3:// store with no snapshots under it is an error', async () => {
    // Prepare: s3rver runs in this process, so the CLI must run without blocking the event loop.
    const s3 = await startS3rver();
    try {
      const child = await new Promise<{ code: number; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [join(ROOT, 'bin/bedrock-cost.js'), 'facts', '--store', `s3://${FACTS_BUCKET}/typo-prefix`],
          {
            env: {
              ...process.env,
              BEDROCK_COST_S3_ENDPOINT: s3.endpoint,
              AWS_ACCESS_KEY_ID: 'S3RVER',
              AWS_SECRET_ACCESS_KEY: 'S3RVER',
              AWS_REGION: 'us-east-1',
            },
          },
          (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
        );
      });
      expect(child.code).toBe(1);
      expect(child.stderr).toContain(
        `no fact store at s3://${FACTS_BUCKET}/typo-prefix (no fact snapshots under it)`,
      );
    } finally {
      await s3.close();
    }
  });

  it.each([
    [['--from', '2026-06-05', '--to', '2026-06-01'], '--from 2026-06-05 is after --to 2026-06-01'],
    [['--from', '2026-02-30'], '--from must be a calendar day like 2026-06-01, got "2026-02-30"'],
    [['--to', '2026-13-01'], '--to must be a calendar day like 2026-06-01, got "2026-13-01"'],
  ])('facts %j is an error naming the option', (args, message) => {
    const result = runCli(['facts', '--store', store, ...args]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
  });

  it('detect --from 2026-13-01 and --now 2026-02-30 name the option', () => {
    const from = runCli(['detect', '--store', store, '--from', '2026-13-01']);
    expect(from.status).toBe(1);
    expect(from.stderr).toContain('--from must be a calendar day like 2026-06-01, got "2026-13-01"');
    expect(from.stderr).not.toContain('Invalid time value');
    const now = runCli(['detect', '--store', store, '--now', '2026-02-30T00:00:00Z']);
    expect(now.status).toBe(1);
    expect(now.stderr).toContain('--now must be an ISO time');
  });

  it('silence add --ends-at 2026-02-30T00:00:00Z names the option instead of rolling over to March', () => {
    const result = runCli([
      'silence',
      'add',
      '-m',
      'workload=support-bot',
      '--ends-at',
      '2026-02-30T00:00:00Z',
      '--comment',
      'maintenance',
      '--store',
      store,
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      '--ends-at must be an ISO time like 2026-06-10T06:00:00Z, got "2026-02-30T00:00:00Z"',
    );
  });

  it('an error quoting a value with control characters does not reach the terminal raw', () => {
    const result = runCli(['facts', '--store', store, '--from', '\u001b[2J2026']);
    expect(result.status).toBe(1);
    expect(result.stderr).not.toContain('\u001b');
    expect(result.stderr).toContain('\\x1b[2J2026');
  });

  it('facts --by "," and review --quarter 2026-Q5 name the option', () => {
    const by = runCli(['facts', '--store', store, '--by', ',']);
    expect(by.status).toBe(1);
    expect(by.stderr).toContain('--by must name at least one column, got ","');
    const quarter = runCli(['review', 'provisioned', '--store', store, '--quarter', '2026-Q5']);
    expect(quarter.status).toBe(1);
    expect(quarter.stderr).toContain('--quarter must be a quarter like 2026-Q2 (Q1–Q4), got "2026-Q5"');
  });

  it('detect --from after the last day with data says so instead of "spend looks normal"', () => {
    const result = runCli([
      'detect',
      '--store',
      store,
      '--from',
      '2026-06-20',
      '--now',
      '2026-06-30T00:00:00Z',
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--from 2026-06-20 is after the last day with data (2026-06-04)');
  });

  it('fixtures generate --start 2026-13-01 names the option', () => {
    const result = runCli(['fixtures', 'generate', '--out', join(dir, 'fx'), '--start', '2026-13-01']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--start must be a calendar day like 2026-06-01, got "2026-13-01"');
  });

  it('detect --now never reports findings dated after --now', () => {
    // The store has data through 2026-06-04 (an untagged $15 on that day).
    const later = runCli(['detect', '--store', store, '--now', '2026-06-10T00:00:00Z', '--format', 'json']);
    expect((JSON.parse(later.stdout) as { day: string }[]).map((f) => f.day)).toContain('2026-06-04');
    const result = runCli(['detect', '--store', store, '--now', '2026-06-04T00:00:00Z', '--format', 'json']);
    expect(result.status).toBe(0);
    const days = (JSON.parse(result.stdout) as { day: string }[]).map((f) => f.day);
    expect(days.filter((d) => d >= '2026-06-04')).toEqual([]);
  });

  it('notify with its Slack token variable unset exits 1 and says why', async () => {
    const config = join(dir, 'notify.yaml');
    await writeFile(
      config,
      [
        'receivers:',
        '  - name: oncall',
        '    slack:',
        '      channel: "#bedrock-oncall"',
        '      token_env: BC_TEST_UNSET_TOKEN',
        'routes:',
        '  receiver: oncall',
        '',
      ].join('\n'),
    );
    const result = runCli(['notify', '--store', store, '--config', config, '--now', '2026-06-10T00:00:00Z'], {
      env: { BC_TEST_UNSET_TOKEN: '' },
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('rejected');
    expect(result.stdout).toContain('no Slack token for "BC_TEST_UNSET_TOKEN"');
  });
});
