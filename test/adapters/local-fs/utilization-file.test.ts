import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalNotificationLog } from '../../../src/adapters/local-fs/notification-log.js';
import { UtilizationFileSource } from '../../../src/adapters/local-fs/utilization-file.js';
import type { NotificationDelivery, Notifier } from '../../../src/app/ports/alerting.js';
import { type ProvisionedReviewDeps, reviewProvisioned } from '../../../src/app/provisioned-review.js';
import type { ReportFile } from '../../../src/core/report/report-artifacts.js';
import { DEFAULT_REVIEW_OPTIONS } from '../../../src/core/review/review-options.js';
import { memoryFactStore } from '../../helpers/digest-facts.js';
import {
  ACCT_A,
  bypassedJune,
  days,
  PT_BYPASSED,
  PT_USED,
  ptDay,
} from '../../unit/core/review/review-fixtures.js';

const JUNE = days('2026-06-01', '2026-06-30');

describe('review provisioned with a utilization file, end to end', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'review-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const facts = [
    ...JUNE.map((d) => ptDay(d, { arn: PT_USED, account: ACCT_A, units: 2, hourly: '55', term: '1month' })),
    ...bypassedJune(),
  ];

  async function run(utilization: ProvisionedReviewDeps['utilization'], send = false) {
    const files = new Map<string, ReportFile>();
    const sent: Extract<NotificationDelivery, { kind: 'sns' }>[] = [];
    const sns: Notifier<'sns'> = {
      async send(delivery) {
        sent.push(delivery);
        return { status: 'delivered', messageId: 'm-1' };
      },
    };
    const report = await reviewProvisioned(
      {
        quarter: '2026-Q2',
        options: DEFAULT_REVIEW_OPTIONS,
        finalAfterHours: 48,
        sendPartial: false,
        receivers: [{ name: 'finance', sns: { topic_arn: 'arn:aws:sns:us-east-1:111111111111:finance' } }],
        send,
      },
      {
        store: memoryFactStore(facts, '2026-07-03T00:00:00Z'),
        writer: {
          write: async (f) => {
            files.set(f.name, f);
            return join(dir, f.name);
          },
        },
        log: new LocalNotificationLog({ path: join(dir, 'state', 'log.json') }),
        clock: () => new Date('2026-07-04T00:00:00Z'),
        sns,
        utilization,
      },
    );
    return { report, files, sent };
  }

  it('reads a CSV (hourly rows, empty cells unknown) and recommends keep / move to on-demand', async () => {
    const lines = ['commitment_id,start,period_seconds,invocations,input_tokens,output_tokens'];
    for (const d of JUNE) {
      for (let h = 0; h < 24; h++) {
        const start = `${d}T${String(h).padStart(2, '0')}:00:00Z`;
        // One hour a day is missing (unknown, not zero) for the used commitment.
        lines.push(
          h === 3 ? `${PT_USED},${start},3600,,,` : `${PT_USED},${start},3600,1500,200000000,20000000`,
        );
      }
    }
    // Outside the quarter: ignored.
    lines.push(`${PT_USED},2026-07-01T00:00:00Z,3600,1,1,1`);
    const path = join(dir, 'utilization.csv');
    await writeFile(path, `${lines.join('\n')}\n`);
    const { report, files, sent } = await run(new UtilizationFileSource(path), true);
    expect(report.utilizationError).toBeNull();
    expect(report.recommendations).toEqual([
      { id: PT_USED, model: 'amazon.nova-2-lite', action: 'keep', effect: '7920' },
      { id: PT_BYPASSED, model: 'amazon.nova-2-lite', action: 'move-to-on-demand', effect: '43560' },
    ]);
    const used = report.review.commitments[0]!;
    expect(used.utilization).toMatchObject({
      observedHours: 690,
      unknownHours: 30,
      activeHours: 690,
      idleHours: 0,
    });
    expect(report.review.utilizationSource).toBe(`file:${path}`);
    expect([...files.keys()].sort()).toEqual([
      'bedrock-commitment-review-2026-Q2-candidates.csv',
      'bedrock-commitment-review-2026-Q2.csv',
      'bedrock-commitment-review-2026-Q2.html',
      'bedrock-commitment-review-2026-Q2.json',
    ]);
    expect(report.deliveries.map((d) => d.outcome)).toEqual(['delivered']);
    expect(sent[0]!.message.message).toContain('Move to on-demand');
    // Same delivery rules as the digest: once per receiver and quarter.
    const again = await run(new UtilizationFileSource(path), true);
    expect(again.report.deliveries.map((d) => d.outcome)).toEqual(['already-sent']);
    expect(again.sent).toHaveLength(0);
  });

  it('reads JSON with daily rows', async () => {
    const rows = JUNE.map((d) => ({
      commitment_id: PT_USED,
      start: d,
      invocations: 36000,
      input_tokens: 4_800_000_000,
      output_tokens: 480_000_000,
    }));
    const path = join(dir, 'utilization.json');
    await writeFile(path, JSON.stringify(rows));
    const { report } = await run(new UtilizationFileSource(path));
    const used = report.review.commitments[0]!;
    expect(used.utilization).toMatchObject({ observedHours: 720, unknownHours: 0 });
    expect(used.recommendation.action).toBe('keep');
  });

  it('rejects a malformed file with its line, and a failing source makes utilization unknown, not zero', async () => {
    const path = join(dir, 'bad.csv');
    await writeFile(path, 'commitment_id,start,invocations,colour\nx,2026-06-01,1,red\n');
    await expect(
      new UtilizationFileSource(path).read({ targets: [], from: '2026-01-01', to: '2027-01-01' }),
    ).rejects.toThrow(/unknown column\(s\) colour/);
    const broken = join(dir, 'broken.csv');
    await writeFile(broken, 'commitment_id,start,invocations\n"pt-1,2026-06-01,1\n');
    await expect(
      new UtilizationFileSource(broken).read({ targets: [], from: '2026-01-01', to: '2027-01-01' }),
    ).rejects.toThrow(/broken\.csv: not valid CSV: line 2: a quoted field is never closed/);
    const { report } = await run({
      name: 'cloudwatch',
      read: async () => {
        throw new Error('AccessDenied');
      },
    });
    expect(report.utilizationError).toBe('cloudwatch: AccessDenied');
    expect(report.review.commitments.every((c) => c.utilization.observedHours === 0)).toBe(true);
    expect(report.recommendations.map((r) => r.action)).toEqual(['verify', 'move-to-on-demand']);
  });
});
