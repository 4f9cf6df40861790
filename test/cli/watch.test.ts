import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DeliveryHandle } from '../../src/app/ports/delivery.js';
import type { ProcessDeliveryResult } from '../../src/app/process-delivery.js';
import {
  type ManifestRef,
  type ManifestSource,
  s3Source,
  watchCommand,
  watchLoop,
} from '../../src/cli/commands/watch.js';
import { parseMoney } from '../../src/core/money.js';
import { CUR_BUCKET, type LocalS3, startS3rver } from '../helpers/s3rver.js';
import { dataFilePath, type TinyLine, writeCur2Manifest, writeTinyCur2 } from '../helpers/tiny-cur.js';

function fakeResult(id: string, retryNeeded = false): ProcessDeliveryResult {
  return {
    objectKey: id,
    exportName: 'exp',
    ingest: {
      objectKey: id,
      exportName: 'exp',
      status: 'ingested',
      format: 'cur2',
      rowsRead: 1,
      bedrockLineItems: 1,
      groups: 1,
      facts: 1,
      cost: parseMoney('1'),
      periods: [],
      emptyFiles: [],
      coverage: null,
      warnings: [],
      held: [],
    },
    days: [],
    findings: 0,
    pages: 0,
    notify: { dryRun: false, entries: [], retryNeeded, metrics: {} as never, expiredSilenceIds: [] },
    retryNeeded,
    problems: [],
  };
}

describe('watchLoop', () => {
  it('processes new and changed manifests once, retries failures a few times, and stops on abort', async () => {
    // Prepare
    let listing: ManifestRef[] = [
      { id: 'a', tag: '1' },
      { id: 'b', tag: '1' },
    ];
    const polls: number[] = [];
    const controller = new AbortController();
    const source: ManifestSource = {
      label: 'fake',
      async list() {
        polls.push(polls.length + 1);
        if (polls.length === 2) listing = [{ id: 'a', tag: '2' }, ...listing.slice(1)];
        if (polls.length === 6) controller.abort();
        return listing;
      },
      async open(id) {
        return {
          delivery: { objectKey: id } as DeliveryHandle['delivery'],
          fetch: async () => {},
          dispose: async () => {},
        };
      },
    };
    const processed: string[] = [];
    const out: string[] = [];
    const err: string[] = [];

    // Act
    const summary = await watchLoop({
      source,
      process: async (handle) => {
        processed.push(handle.delivery.objectKey);
        if (handle.delivery.objectKey === 'b') throw new Error('corrupt parquet in b');
        return fakeResult(handle.delivery.objectKey);
      },
      intervalMs: 1,
      once: false,
      signal: controller.signal,
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });

    // Assert
    // Poll 1: a, b (fails). Poll 2: a changed, b again. Poll 3: b's third attempt. Then b waits for a change.
    expect(processed).toEqual(['a', 'b', 'a', 'b', 'b']);
    expect(summary).toEqual({ processed: 2, failed: 3 });
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(
      / a ingested export=exp periods=- facts=1 cost=\$1\.00 days=0 findings=0 pages=0 sent=0$/,
    );
    expect(err.at(-1)).toContain('b FAILED: Error: corrupt parquet in b (giving up until b changes)');
  });

  it('processes what is there and returns with once', async () => {
    const source: ManifestSource = {
      label: 'fake',
      list: async () => [{ id: 'x', tag: '1' }],
      open: async (id) => ({
        delivery: { objectKey: id } as DeliveryHandle['delivery'],
        fetch: async () => {},
        dispose: async () => {},
      }),
    };
    const summary = await watchLoop({
      source,
      process: async (h) => fakeResult(h.delivery.objectKey),
      intervalMs: 60_000,
      once: true,
      signal: new AbortController().signal,
      out: () => {},
      err: () => {},
    });
    expect(summary).toEqual({ processed: 1, failed: 0 });
  });
});

const LINES: TinyLine[] = Array.from({ length: 5 }, (_, i) => ({
  day: `2026-10-0${i + 1}`,
  usageType: 'USE1-NovaLite-input-tokens',
  unit: '1K tokens',
  amount: '1000',
  cost: '1.5',
  tags: { workload: 'search' },
}));

describe('bedrock-cost watch', () => {
  let dir: string;
  let s3: LocalS3;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bedrock-cost-watch-'));
    s3 = await startS3rver();
  });
  afterAll(async () => {
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function runWatch(args: string[]): Promise<{ stdout: string; code: number }> {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const before = process.exitCode;
    try {
      await watchCommand().parseAsync(args, { from: 'user' });
      return { stdout: writes.join(''), code: Number(process.exitCode ?? 0) };
    } finally {
      spy.mockRestore();
      err.mockRestore();
      process.exitCode = before;
    }
  }

  it('--dir --once: one line per delivery through the same pipeline; a second run finds it unchanged', async () => {
    // Prepare
    const exportRoot = join(dir, 'cur', 'exp');
    await writeTinyCur2(dataFilePath(exportRoot, '2026-10', 'exp-00001.snappy.parquet'), LINES);
    await writeCur2Manifest(exportRoot, 'exp', '2026-10', ['exp-00001.snappy.parquet']);
    const config = join(dir, 'config.yaml');
    await writeFile(
      config,
      `routes:\n  receiver: log\nreceivers:\n  - name: log\n    console: { dir: ${join(dir, 'notifications')} }\n`,
    );
    const args = ['--dir', join(dir, 'cur'), '--store', join(dir, 'store'), '--config', config, '--once'];

    // Act
    const first = await runWatch(args);
    const second = await runWatch(args);

    // Assert
    expect(first.code).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('exp-Manifest.json ingested export=exp periods=2026-10 facts=');
    expect(lines[0]).toContain('cost=$7.50');
    expect(second.stdout).toContain('exp-Manifest.json unchanged export=exp periods=2026-10');
    const ledger = JSON.parse(await readFile(join(dir, 'store', 'state', 'ingest-ledger.json'), 'utf8'));
    expect(Object.keys(ledger.entries)).toHaveLength(1);
  });

  it('polls an S3-compatible bucket for billing-period manifests only, tagged by ETag', async () => {
    // Prepare
    const put = (key: string, body: string) =>
      s3.client.send(new PutObjectCommand({ Bucket: CUR_BUCKET, Key: key, Body: body }));
    await put('cur/exp/data/BILLING_PERIOD=2026-10/exp-00001.snappy.parquet', 'data');
    await put('cur/exp/metadata/BILLING_PERIOD=2026-10/exp-Manifest.json', '{"dataFiles":[]}');
    await put('cur/legacy/rep/20261001-20261101/rep-Manifest.json', '{"reportKeys":[]}');
    await put('cur/legacy/rep/20261001-20261101/abc-123/rep-Manifest.json', '{"reportKeys":[]}');
    const source = s3Source(s3.client, CUR_BUCKET, 'cur/');

    // Act
    const first = await source.list();
    await put(
      'cur/exp/metadata/BILLING_PERIOD=2026-10/exp-Manifest.json',
      '{"dataFiles":[], "executionId":"2"}',
    );
    const second = await source.list();

    // Assert
    expect(first.map((m) => m.id)).toEqual([
      'cur/exp/metadata/BILLING_PERIOD=2026-10/exp-Manifest.json',
      'cur/legacy/rep/20261001-20261101/rep-Manifest.json',
    ]);
    expect(second[0]!.tag).not.toBe(first[0]!.tag);
    expect(second[1]!.tag).toBe(first[1]!.tag);
  });
});
