import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { Command, Option } from 'commander';
import { openLocalDelivery, openS3Delivery } from '../../adapters/delivery-handles.js';
import { duckDbStage1Engine } from '../../adapters/duckdb/stage1-reader.js';
import {
  earlyWarningStorePath,
  LocalEarlyWarningStore,
} from '../../adapters/local-fs/early-warning-store.js';
import { classifyObject } from '../../adapters/s3/cur-objects.js';
import { s3Client } from '../../adapters/s3/s3-location.js';
import { listObjects } from '../../adapters/s3/s3-objects.js';
import type { DeliveryHandle } from '../../app/ports/delivery.js';
import {
  type ProcessDeliveryDeps,
  type ProcessDeliveryResult,
  processDelivery,
} from '../../app/process-delivery.js';
import { loadConfig } from '../../config/load.js';
import { compileAlerting } from '../../core/alerting/alerting-spec.js';
import { parseDurationMs } from '../../core/alerting/duration.js';
import { formatUsd } from '../../core/money.js';
import { describeRedacted } from '../../core/render/redact.js';
import { localNotifyDeps } from '../alerting/notify-wiring.js';
import { cliModelCatalog } from '../catalog-loader.js';
import { DEFAULT_STORE, openStore, STORE_HELP, storeRoot } from '../wiring.js';

interface WatchOptions {
  s3Endpoint?: string;
  bucket?: string;
  prefix: string;
  dir?: string;
  store?: string;
  config?: string;
  interval: string;
  once?: boolean;
  threads?: string;
}

/** A manifest as a poll sees it: `tag` changes whenever the manifest is rewritten (S3 ETag, size + mtime). */
export interface ManifestRef {
  id: string;
  tag: string;
}

/** Where manifests appear: an S3-compatible bucket or a directory. */
export interface ManifestSource {
  readonly label: string;
  list(): Promise<ManifestRef[]>;
  open(id: string): Promise<DeliveryHandle>;
}

/** After this many failed attempts on one manifest version, wait for the manifest to change. */
const MAX_ATTEMPTS = 3;
/** A local ingest that dies leaves nothing behind, but a concurrent `ingest` run could overlap: keep it short. */
const LOCAL_LEASE_MS = 30 * 60_000;

export function watchCommand(): Command {
  return new Command('watch')
    .summary('process CUR deliveries as they land: poll an S3-compatible bucket or a directory')
    .description(
      'Run the event-driven loop of the cur-delivery function on one machine: poll a bucket (AWS S3 or an\n' +
        'S3-compatible server such as s3rver or MinIO, with ListObjectsV2) or a directory for billing-period\n' +
        'manifests (CUR 2.0 metadata/BILLING_PERIOD=…/…-Manifest.json, legacy <yyyymmdd-yyyymmdd>/…-Manifest.json)\n' +
        'and put every new or changed one (by ETag, or size and mtime) through the same pipeline:\n' +
        'ingest → evaluate the days it changed → notify through the configured receivers. Prints one line per\n' +
        'delivery. The first poll processes what is already there (unchanged deliveries are skipped by the\n' +
        'ingest ledger and notifications are never repeated). Ctrl-C stops after the current delivery.\n\n' +
        'With --s3-endpoint and no AWS credentials in the environment, s3rver’s default key S3RVER is used.',
    )
    .option('--s3-endpoint <url>', 'S3-compatible endpoint, e.g. http://127.0.0.1:4568 (default: AWS S3)')
    .option('--bucket <name>', 'bucket to poll')
    .option('--prefix <prefix>', 'key prefix of the export(s) to watch', '')
    .option('--dir <dir>', 'directory to poll instead of a bucket')
    .option('--store <dir|s3://bucket/prefix>', STORE_HELP)
    .option(
      '--config <file>',
      'YAML config (attribution, rules, routes, receivers); defaults apply without it',
    )
    .option('--interval <duration>', 'time between polls (10s, 1m, 500ms)', '10s')
    .option('--threads <n>', 'DuckDB threads (default 2)')
    .addOption(new Option('--once', 'process what is there now and exit'))
    .action(async (options: WatchOptions) => {
      process.exitCode = await runWatch(options);
    });
}

async function runWatch(options: WatchOptions): Promise<number> {
  const intervalMs = parseDurationMs(options.interval);
  if (intervalMs === null || intervalMs <= 0) {
    throw new Error(`--interval must be a duration like 10s, 1m or 500ms, got "${options.interval}"`);
  }
  const source = manifestSource(options);
  const config = await loadConfig(options.config);
  const root = storeRoot(options.store);
  const { store, ledger } = await openStore(root);
  // Notification state needs a local directory; an S3 store keeps it in the default local store.
  const notify = localNotifyDeps(root.startsWith('s3://') ? DEFAULT_STORE : root, config);
  const catalog = await cliModelCatalog(config);
  const deps: ProcessDeliveryDeps = {
    ingest: { store, ledger, config, catalog, clock: () => new Date() },
    engineFor: () => ({
      engine: duckDbStage1Engine(options.threads ? Number(options.threads) : undefined),
      readsFiles: true,
    }),
    leaseMs: LOCAL_LEASE_MS,
    notify,
    earlyWarnings: new LocalEarlyWarningStore({
      path: earlyWarningStorePath(resolve(root.startsWith('s3://') ? DEFAULT_STORE : root)),
    }),
    alerting: compileAlerting(config),
  };

  const controller = new AbortController();
  const stop = () => {
    if (!controller.signal.aborted) process.stderr.write('stopping after the current delivery…\n');
    controller.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    process.stderr.write(
      `watching ${source.label} every ${options.interval}; facts in ${store.location}${options.once ? ' (once)' : ''}\n`,
    );
    const summary = await watchLoop({
      source,
      process: (handle) => processDelivery(handle, deps),
      intervalMs,
      once: options.once ?? false,
      signal: controller.signal,
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
    });
    return summary.failed > 0 && options.once ? 1 : 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function manifestSource(options: WatchOptions): ManifestSource {
  if (options.dir && options.bucket) throw new Error('give either --dir or --bucket, not both');
  if (options.dir) return directorySource(options.dir);
  if (!options.bucket)
    throw new Error('watch needs --bucket <name> (with --s3-endpoint for a local server) or --dir <dir>');
  const env = process.env;
  const credentials =
    options.s3Endpoint && !env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE
      ? { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }
      : undefined;
  const client = s3Client({
    ...(options.s3Endpoint ? { endpoint: options.s3Endpoint } : {}),
    ...(credentials ? { credentials } : {}),
  });
  return s3Source(client, options.bucket, options.prefix);
}

/** Billing-period manifests under `prefix`, by ETag. */
export function s3Source(client: S3Client, bucket: string, prefix: string): ManifestSource {
  return {
    label: `s3://${bucket}/${prefix}`,
    async list() {
      const objects = await listObjects(client, bucket, prefix);
      return objects
        .filter(
          (o) =>
            classifyObject({ bucket, key: o.key, via: 's3-notification' }, undefined).kind === 'manifest',
        )
        .map((o) => ({ id: o.key, tag: o.etag }));
    },
    open: (key) => openS3Delivery(`s3://${bucket}/${key}`, { client }),
  };
}

/** Billing-period manifests anywhere under `dir`, by size and modification time. */
export function directorySource(dir: string): ManifestSource {
  const root = resolve(dir);
  return {
    label: root,
    async list() {
      const found: ManifestRef[] = [];
      for (const path of await findManifests(root, 0)) {
        const key = path.split('\\').join('/');
        if (classifyObject({ bucket: 'local', key, via: 's3-notification' }, undefined).kind !== 'manifest')
          continue;
        const info = await stat(path);
        found.push({ id: path, tag: `${info.size}:${info.mtimeMs}` });
      }
      return found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    open: (path) => openLocalDelivery(path),
  };
}

async function findManifests(dir: string, depth: number): Promise<string[]> {
  if (depth > 8) return [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await findManifests(full, depth + 1)));
    else if (entry.isFile() && /-Manifest\.json$/i.test(entry.name)) out.push(full);
  }
  return out;
}

export interface WatchLoopOptions {
  source: ManifestSource;
  process(handle: DeliveryHandle): Promise<ProcessDeliveryResult>;
  intervalMs: number;
  once: boolean;
  signal: AbortSignal;
  out(line: string): void;
  err(line: string): void;
  now?: () => Date;
}

/**
 * Polls the source and processes each manifest that is new or changed since the last poll, one at a time.
 * A failed delivery is tried again on the next polls (up to MAX_ATTEMPTS per manifest version); a manifest
 * whose notifications must be retried is processed again on the next poll.
 */
export async function watchLoop(options: WatchLoopOptions): Promise<{ processed: number; failed: number }> {
  const now = options.now ?? (() => new Date());
  const seen = new Map<string, { tag: string; attempts: number; done: boolean }>();
  let processed = 0;
  let failed = 0;
  while (!options.signal.aborted) {
    let manifests: ManifestRef[] = [];
    try {
      manifests = await options.source.list();
    } catch (error) {
      options.err(`${now().toISOString()} cannot list ${options.source.label}: ${describeRedacted(error)}`);
    }
    for (const manifest of manifests) {
      if (options.signal.aborted) break;
      const previous = seen.get(manifest.id);
      const sameVersion = previous?.tag === manifest.tag;
      if (previous && sameVersion && (previous.done || previous.attempts >= MAX_ATTEMPTS)) continue;
      const attempts = sameVersion && previous ? previous.attempts + 1 : 1;
      let handle: DeliveryHandle | undefined;
      try {
        handle = await options.source.open(manifest.id);
        const result = await options.process(handle);
        processed += 1;
        options.out(describeResult(now(), manifest.id, result));
        seen.set(manifest.id, { tag: manifest.tag, attempts, done: !result.retryNeeded });
      } catch (error) {
        failed += 1;
        const giveUp = attempts >= MAX_ATTEMPTS ? ` (giving up until ${manifest.id} changes)` : '';
        options.err(`${now().toISOString()} ${manifest.id} FAILED: ${describeRedacted(error)}${giveUp}`);
        seen.set(manifest.id, { tag: manifest.tag, attempts, done: false });
      } finally {
        await handle?.dispose();
      }
    }
    if (options.once) break;
    await sleep(options.intervalMs, options.signal);
  }
  return { processed, failed };
}

function describeResult(at: Date, id: string, result: ProcessDeliveryResult): string {
  const report = result.ingest;
  const periods = report.periods.map((p) => p.billingPeriod).join(',') || '-';
  const sent = result.notify.entries.filter(
    (e) => e.outcome === 'delivered' || e.outcome === 'unknown',
  ).length;
  const parts = [
    at.toISOString(),
    id,
    report.status,
    `export=${report.exportName}`,
    `periods=${periods}`,
    ...(report.status === 'ingested' ? [`facts=${report.facts}`, `cost=${formatUsd(report.cost)}`] : []),
    `days=${result.days.length}`,
    `findings=${result.findings}`,
    `pages=${result.pages}`,
    `sent=${sent}`,
  ];
  if (result.problems.length > 0) parts.push(`problems=${result.problems.join(' | ')}`);
  return parts.join(' ');
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolveSleep) => {
    if (signal.aborted) return resolveSleep();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolveSleep();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
