// The Lambda harness as a benchmark (not part of make test): the built package in the Lambda-like sandbox
// (test/helpers/lambda-harness.ts) against the loopback services, at Lambda's 1,769 MB (one vCPU) setting.
//   1. cold start: a fresh process per run ingesting a small delivery that pages, so the first invocation
//      reads the config from S3 and the Slack token from Secrets Manager: Init (process start → handler
//      imported), config load and secret read, medians;
//   2. a 1M-row CUR 2.0 delivery (hourly, 5% Bedrock, as `make bench`): the invocation's duration and the
//      process's peak RSS, against DuckDB alone doing the bare Bedrock filter + GROUP BY on the same files.
// Usage: npm run build && make package ARCH=x64 OUT=.tmp/lambda-x64 && npx tsx bench/lambda-bench.ts
//   BENCH_ROWS (1000000), BENCH_REPS (3), BENCH_MEMORY_MB (1769)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createStateTable } from '../test/helpers/dynalite.js';
import {
  harnessEnvironment,
  octoberLines,
  startHarnessServices,
  uploadExport,
} from '../test/helpers/harness-services.js';
import { eventBridgeBody, sqsEvent, sqsRecord } from '../test/helpers/lambda.js';
import { createLambdaSandbox, harnessPackage, type Invocation } from '../test/helpers/lambda-harness.js';
import { CUR_BUCKET } from '../test/helpers/s3rver.js';
import { writeTinyCur2 } from '../test/helpers/tiny-cur.js';

const ROOT = resolve(import.meta.dirname, '..');
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const MEMORY_MB = Number(process.env.BENCH_MEMORY_MB ?? 1769);
const EXPORT = 'bench-cur';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const logMs = (run: Invocation, message: string) => Number(run.logs.find((l) => l.message === message)?.ms);

function ensureExport(): string {
  const out = join(ROOT, 'bench/data', `lambda-cur2-hourly-${ROWS}`);
  const exportDir = join(out, EXPORT);
  if (!existsSync(join(exportDir, 'metadata'))) {
    console.error(`generating a ${ROWS.toLocaleString('en-US')}-row CUR 2.0 export in ${out} …`);
    rmSync(out, { recursive: true, force: true });
    const gen = spawnSync(
      process.execPath,
      [
        join(ROOT, 'bin/bedrock-cost.js'),
        'fixtures',
        'generate',
        '--format',
        'cur2',
        '--export-name',
        EXPORT,
        '--rows',
        String(ROWS),
        '--granularity',
        'hourly',
        '--seed',
        '7',
        '--bucket',
        CUR_BUCKET,
        '--prefix',
        'cur',
        '--out',
        out,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    if (gen.status !== 0) throw new Error('fixture generation failed');
  }
  return exportDir;
}

const exportDir = ensureExport();
const dataFiles = (readdirSync(exportDir, { recursive: true, encoding: 'utf8' }) as string[])
  .filter((f) => f.endsWith('.parquet'))
  .map((f) => join(exportDir, f));
const services = await startHarnessServices();
const sandbox = createLambdaSandbox(harnessPackage());
const work = await mkdtemp(join(tmpdir(), 'bedrock-cost-lambda-bench-'));
try {
  // The small delivery for cold starts (the harness test's), and the large export.
  const tinyKey = 'cur/tiny-export/data/BILLING_PERIOD=2026-10/tiny-export-00001.snappy.parquet';
  await writeTinyCur2(join(work, 'tiny.parquet'), octoberLines());
  await services.s3.client.send(
    new PutObjectCommand({
      Bucket: CUR_BUCKET,
      Key: tinyKey,
      Body: await readFile(join(work, 'tiny.parquet')),
    }),
  );
  const tinyManifestKey = 'cur/tiny-export/metadata/BILLING_PERIOD=2026-10/tiny-export-Manifest.json';
  const tinyPut = await services.s3.client.send(
    new PutObjectCommand({
      Bucket: CUR_BUCKET,
      Key: tinyManifestKey,
      Body: JSON.stringify({
        executionId: 'exec-1',
        exportName: 'tiny-export',
        billingPeriod: { start: '2026-10-01T00:00:00.000Z' },
        dataFiles: [`s3://${CUR_BUCKET}/${tinyKey}`],
      }),
    }),
  );
  const tiny = { bucket: CUR_BUCKET, key: tinyManifestKey, etag: tinyPut.ETag ?? '' };
  const manifests = await uploadExport(services.s3, exportDir, `cur/${EXPORT}`);

  let table = 0;
  const invoke = async (exportName: string, refs: typeof manifests) => {
    table += 1;
    const tableName = `bench-state-${table}`;
    await createStateTable(services.db.client, tableName);
    const environment = harnessEnvironment(services, `s3://${CUR_BUCKET}/cur/${exportName}`, {
      factsRoot: `bench-${table}`,
      tableName,
    });
    const run = await sandbox.invoke(
      {
        name: 'bedrock-cost-cur-delivery',
        handler: 'dist/handlers/cur-delivery.handler',
        memoryMb: MEMORY_MB,
        environment,
      },
      sqsEvent(...refs.map((ref, i) => sqsRecord(eventBridgeBody(ref), `m-${table}-${i}`))),
    );
    const failures = (run.result as { batchItemFailures?: unknown[] } | undefined)?.batchItemFailures;
    if (run.error || failures === undefined || failures.length > 0) {
      throw new Error(
        `cur-delivery failed: ${run.error ?? JSON.stringify(run.result)}\n${run.stderr.slice(-3000)}`,
      );
    }
    return run;
  };

  const cold: { init: number; cpu: number; load: number; config: number; secret: number }[] = [];
  for (let rep = 0; rep < Math.max(REPS, 5); rep++) {
    const run = await invoke('tiny-export', [tiny]);
    cold.push({
      init: run.initMs,
      cpu: run.initCpuMs,
      load: run.moduleLoadMs,
      config: logMs(run, 'config loaded'),
      secret: logMs(run, 'secret read'),
    });
  }
  const init = median(cold.map((c) => c.init));
  const config = median(cold.map((c) => c.config));
  const secret = median(cold.map((c) => c.secret));
  console.log(
    `detail: lambda-cold-start cur-delivery memory_mb=${MEMORY_MB} init_ms=${init.toFixed(0)} ` +
      `init_cpu_ms=${median(cold.map((c) => c.cpu)).toFixed(0)} module_load_ms=${median(cold.map((c) => c.load)).toFixed(0)} config_ms=${config.toFixed(0)} secret_ms=${secret.toFixed(0)} ` +
      `runs_init_ms=[${cold.map((c) => c.init.toFixed(0)).join(',')}]`,
  );

  const ingest: Invocation[] = [];
  const bare: { seconds: number; rssMb: number }[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    ingest.push(await invoke(EXPORT, manifests));
    const started = process.hrtime.bigint();
    const child = spawnSync(
      '/usr/bin/time',
      ['-v', process.execPath, join(ROOT, 'bench/duckdb-bare.mjs'), '1', ...dataFiles],
      {
        encoding: 'utf8',
      },
    );
    if (child.status !== 0) throw new Error(`duckdb-bare failed: ${child.stderr.slice(-2000)}`);
    bare.push({
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      rssMb: Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(child.stderr)?.[1]) / 1024,
    });
    console.error(
      `rep ${rep + 1}/${REPS}: lambda ingest ${(ingest.at(-1)!.durationMs / 1000).toFixed(2)} s, ` +
        `peak RSS ${(ingest.at(-1)!.maxRssKb / 1024).toFixed(0)} MB; duckdb alone ${bare.at(-1)!.seconds.toFixed(2)} s`,
    );
  }
  const ingestS = median(ingest.map((r) => r.durationMs / 1000));
  const bareS = median(bare.map((r) => r.seconds));
  const rss = median(ingest.map((r) => r.maxRssKb / 1024));
  console.log(
    `detail: lambda-ingest rows=${ROWS} memory_mb=${MEMORY_MB} invoke_median_s=${ingestS.toFixed(2)} ` +
      `duckdb_alone_median_s=${bareS.toFixed(2)} duckdb_alone_rss_mb=${median(bare.map((b) => b.rssMb)).toFixed(0)} ` +
      `peak_rss_runs_mb=[${ingest.map((r) => (r.maxRssKb / 1024).toFixed(0)).join(',')}] reps=${REPS} threads=1`,
  );
  console.log(
    `bench: lambda-cold-start-cur-delivery init_plus_config_plus_secret_ms=${(init + config + secret).toFixed(0)}`,
  );
  console.log(
    `bench: lambda-ingest-cur2-hourly-${ROWS >= 1e6 ? `${ROWS / 1e6}m` : ROWS} ratio=${(ingestS / bareS).toFixed(2)} ` +
      `rss_mb=${rss.toFixed(0)} of ${MEMORY_MB}`,
  );
} finally {
  sandbox.close();
  await services.close();
  rmSync(work, { recursive: true, force: true });
}
