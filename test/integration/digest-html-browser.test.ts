import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalNotificationLog } from '../../src/adapters/local-fs/notification-log.js';
import { fileReportWriter } from '../../src/adapters/local-fs/report-writer.js';
import { sendWeeklyDigest, type WeeklyDigestReport } from '../../src/app/weekly-digest.js';
import { findingFingerprint } from '../../src/core/keys.js';
import { formatMoney, formatUsd, type Money, parseMoney } from '../../src/core/money.js';
import { parseCsv } from '../../src/core/report/csv.js';
import type { Finding } from '../../src/core/rules/finding.js';
import { generateFacts, memoryFactStore } from '../helpers/digest-facts.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(ROOT, 'test-output', 'digest');

/** Debian's chromium; installed by the project's script when missing (root + apt-get), never skipped. */
function chromium(): string {
  const bin = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
  if (existsSync(bin)) return bin;
  const found = execFileSync('bash', [join(ROOT, 'scripts', 'ensure-chromium.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 15 * 60_000,
  }).trim();
  if (!existsSync(found))
    throw new Error(`scripts/ensure-chromium.sh did not provide chromium (got "${found}")`);
  return found;
}

function spike(day: string, workload: string, provisional: boolean): Finding {
  const labels = {
    workload,
    model: 'anthropic.claude-sonnet-4-6',
    team: 'support',
    cost_center: 'cc-100',
    account: '111111111111',
    environment: 'prod',
  };
  return {
    rule: 'spend-spike',
    name: 'spend-spike',
    day,
    severity: provisional ? 'warning' : 'page',
    provisional,
    labels,
    figures: {
      today: parseMoney('1830.25'),
      baseline: parseMoney('410'),
      ratio: 4.46,
      delta: parseMoney('1420.25'),
    },
    why: [`${workload} spend on ${day} was $1,830.25, 4.5× the day before`],
    contributors: [],
    fingerprint: findingFingerprint({ rule: 'spend-spike', day, labels }),
  };
}

describe('weekly digest HTML in headless Chromium', () => {
  let bin: string;
  let profile: string;
  let report: WeeklyDigestReport;
  let htmlPath: string;
  let csvPath: string;

  beforeAll(async () => {
    bin = chromium();
    profile = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
    await mkdir(OUT, { recursive: true });
    const store = memoryFactStore(generateFacts('2026-05-01', '2026-06-12'), '2026-06-12T23:00:00Z');
    report = await sendWeeklyDigest(
      {
        week: '2026-W23',
        options: {
          unallocated: 'split',
          topWorkloads: 5,
          topMovers: 5,
          costMetric: 'unblended',
          finalAfterHours: 48,
        },
        sendPartialWeeks: false,
        receivers: [],
        send: false,
      },
      {
        store,
        writer: fileReportWriter(OUT),
        log: new LocalNotificationLog({ path: join(profile, 'log.json') }),
        clock: () => new Date('2026-06-13T07:00:00Z'),
        findings: {
          findings: async () => [
            { finding: spike('2026-06-03', 'support-bot', false), state: 'notified' },
            { finding: spike('2026-06-06', 'code-review', false), state: 'open' },
          ],
        },
      },
    );
    htmlPath = report.files.find((f) => f.name.endsWith('.html'))!.path;
    csvPath = report.files.find((f) => f.name.endsWith('.csv'))!.path;
  }, 20 * 60_000);

  afterAll(async () => {
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  const flags = () => [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
  ];

  it('renders, and the totals it shows match the CSV', async () => {
    const { stdout } = await run(bin, [...flags(), '--dump-dom', pathToFileURL(htmlPath).href], {
      timeout: 90_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(stdout).toContain('Amazon Bedrock chargeback — 2026-W23');
    expect(stdout).not.toMatch(/<script/i);

    const [header, ...rows] = parseCsv(await readFile(csvPath, 'utf8'));
    const column = header!.indexOf('this_week_usd');
    const csvTotal = rows.reduce((n, r) => n + parseMoney(r[column]!), 0n) as Money;
    expect(csvTotal).toBe(report.digest.reconciliation.billTotal);

    const reconciliation =
      /<div[^>]*\bid="reconciliation"[^>]*\bdata-total="([^"]+)"[^>]*>([\s\S]*?)<\/div>/.exec(stdout);
    expect(reconciliation).not.toBeNull();
    expect(parseMoney(reconciliation![1]!)).toBe(csvTotal);
    const shown = reconciliation![2]!.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&');
    expect(shown).toBe(
      `Total ${formatUsd(csvTotal)} = Σ Bedrock cost for 2026-W23 ${formatUsd(csvTotal)} — difference $0.000000`,
    );
    const tableTotal = /<td([^>]*\bid="total-this-week"[^>]*)>([^<]+)<\/td>/.exec(stdout);
    expect(tableTotal).not.toBeNull();
    expect(/data-total="([^"]+)"/.exec(tableTotal![1]!)![1]).toBe(formatMoney(csvTotal));
    expect(tableTotal![2]).toBe(formatUsd(csvTotal));
    // Every chargeback line the CSV has is shown with the same amount.
    const lines = [...stdout.matchAll(/data-line-this-week="([^"]+)"/g)].map((m) => parseMoney(m[1]!));
    expect(lines).toHaveLength(rows.length);
    expect(lines.reduce((n, v) => n + v, 0n)).toBe(csvTotal);
    expect(stdout).toContain('spend-spike');
    expect(stdout).toContain('notified');
  }, 120_000);

  it('saves a screenshot under test-output/', async () => {
    const shot = join(OUT, 'weekly-2026-W23.png');
    await rm(shot, { force: true });
    await run(
      bin,
      [
        ...flags(),
        `--screenshot=${shot}`,
        '--window-size=1280,2000',
        '--hide-scrollbars',
        pathToFileURL(htmlPath).href,
      ],
      {
        timeout: 90_000,
      },
    );
    const info = await stat(shot);
    expect(info.size).toBeGreaterThan(20_000);
    const png = await readFile(shot);
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    // 1280 × 2000 as asked.
    expect(png.readUInt32BE(16)).toBe(1280);
    expect(png.readUInt32BE(20)).toBe(2000);
  }, 120_000);
});
