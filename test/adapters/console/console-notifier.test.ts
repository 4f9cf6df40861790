import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleNotifier } from '../../../src/adapters/console/console-notifier.js';
import { notify } from '../../../src/app/notify.js';
import { FakeNotificationLog, manualClock } from '../../app/fakes.js';
import { alertingFrom, makeFinding, NOW } from '../../unit/core/alerting/fixtures.js';

describe('ConsoleNotifier', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'console-notifier-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes <dir>/<receiver>/<group>.json and .txt and one sent.jsonl line per send', async () => {
    // Prepare: the default config (console receiver), pointed at a temp dir.
    const alerting = alertingFrom({ receivers: [{ name: 'console', console: { dir } }] });
    const deps = {
      log: new FakeNotificationLog(),
      notifiers: { console: new ConsoleNotifier() },
      clock: manualClock(NOW),
    };
    // Act
    const first = await notify({ findings: [makeFinding()], alerting }, deps);
    await notify({ findings: [makeFinding()], alerting }, deps);
    // Assess
    expect(first.entries.map((e) => e.outcome)).toEqual(['delivered']);
    const files = (await readdir(join(dir, 'console_console'))).sort();
    expect(files).toEqual([
      expect.stringMatching(/^[0-9a-f]{16}\.json$/),
      expect.stringMatching(/^[0-9a-f]{16}\.txt$/),
    ]);
    const doc = JSON.parse(await readFile(join(dir, 'console_console', files[0]!), 'utf8'));
    expect(doc).toMatchObject({
      receiver: 'console/console',
      reason: 'first',
      event: { event_action: 'trigger' },
    });
    expect(doc.slack.text).toContain('support-bot Bedrock spend $412.30');
    expect(await readFile(join(dir, 'console_console', files[1]!), 'utf8')).toMatch(/^\[PAGE\] support-bot/);
    expect((await readFile(join(dir, 'sent.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(1);
  });
});
