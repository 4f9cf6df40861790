import { Duration, Size } from 'aws-cdk-lib';

export interface FunctionSizing {
  memoryMiB: number;
  timeout: Duration;
  ephemeralStorage: Size;
}

/**
 * cur-delivery ingests one manifest per invocation: download the listed CUR files to /tmp, DuckDB stage 1,
 * stage 2 in TypeScript, write the period's fact Parquet, evaluate rules, notify.
 *
 * - Memory 2048 MiB: `make bench` measures peak RSS ≤ 512 MB at 1M CUR rows and ≤ 1 GB at 5M rows. 2048
 *   leaves 2× over the 5M-row month for DuckDB's hash tables, the Node heap of stage 2 and the SDK's
 *   download buffers; Lambda CPU scales with memory (1,769 MiB = 1 vCPU), so 2048 also buys ~1.16 vCPU for
 *   DuckDB's threads. The handler should cap DuckDB's memory_limit below this (e.g. 60%) and point its
 *   temp_directory at /tmp so a bigger month spills instead of being OOM-killed.
 * - Timeout 900 s (Lambda's maximum): the GROUP BY takes seconds, but downloading a large organization's
 *   month of Parquet dominates and grows with the month; a delivery must finish in one invocation (a
 *   timeout re-runs it from scratch), so take all the time Lambda allows. Beyond that, use the Athena engine.
 * - Ephemeral storage 10240 MiB (the maximum): the CUR files are copied to /tmp before DuckDB reads them
 *   (DESIGN §3.3, no httpfs), plus the fact Parquet being written and DuckDB spill files. /tmp above
 *   512 MiB costs ~$0.0000000309 per GB-second, i.e. well under a cent for a full 900 s run at 10 GiB,
 *   while running out of /tmp fails the ingest of exactly the largest (most important) month.
 */
export const CUR_DELIVERY_SIZING: FunctionSizing = {
  memoryMiB: 2048,
  timeout: Duration.seconds(900),
  ephemeralStorage: Size.mebibytes(10240),
};

/**
 * weekly-digest reads a few weeks of daily facts (aggregates: thousands of rows per billing period, a few
 * MB of Parquet), renders CSV/HTML/Slack blocks and sends them: 1024 MiB (~0.6 vCPU) is ample for DuckDB
 * over the facts; 300 s covers the Slack file upload with 429 + Retry-After back-off; 2048 MiB of /tmp
 * holds the downloaded fact snapshots of the weeks in view with room to spare.
 */
export const WEEKLY_DIGEST_SIZING: FunctionSizing = {
  memoryMiB: 1024,
  timeout: Duration.seconds(300),
  ephemeralStorage: Size.mebibytes(2048),
};

/**
 * quarterly-review reads four billing periods of facts and, per commitment, CloudWatch GetMetricData for
 * a quarter of hourly datapoints (paged): memory as the digest, but 600 s because the GetMetricData pages
 * grow with the number of Provisioned Throughput commitments and regions.
 */
export const QUARTERLY_REVIEW_SIZING: FunctionSizing = {
  memoryMiB: 1024,
  timeout: Duration.seconds(600),
  ephemeralStorage: Size.mebibytes(2048),
};

/**
 * early-warning runs hourly: one ListMetrics + GetMetricData pass per region (a few hundred queries) and a
 * read of ~5 weeks of facts for prices and attribution: the digest's memory; 300 s bounds a slow CloudWatch.
 */
export const EARLY_WARNING_SIZING: FunctionSizing = {
  memoryMiB: 1024,
  timeout: Duration.seconds(300),
  ephemeralStorage: Size.mebibytes(2048),
};

/**
 * slack-interactivity answers one button press: verify the signature, a few DynamoDB reads and writes,
 * one chat.update. No DuckDB, no fact store: 256 MiB is ample. Slack waits 3 s for the answer; 10 s
 * covers a cold start plus a slow chat.update, and nothing useful happens after that.
 */
export const SLACK_INTERACTIVITY_SIZING: FunctionSizing = {
  memoryMiB: 256,
  timeout: Duration.seconds(10),
  ephemeralStorage: Size.mebibytes(512),
};

/**
 * Ingest concurrency. Two manifests are routinely in flight together (the current month's refresh and the
 * previous month's restatement, ~2 weeks into a month), so 2 lets both run without one queuing behind the
 * other, while bounding DuckDB/S3 load. It is set as the SQS event source's maximum concurrency, not as
 * reserved concurrency: with reserved concurrency the SQS pollers still receive messages they cannot
 * invoke, and those throttled receives count towards maxReceiveCount and push healthy deliveries into the
 * DLQ. Two deliveries of the same (export, billing period) can still overlap; correctness there comes from
 * the code (ledger writes conditional on ETag, snapshot replace by one PutObject, notification claims).
 * S3 events cannot feed an SQS FIFO queue, so ordering cannot come from the queue.
 */
export const INGEST_MAX_CONCURRENCY = 2;

/**
 * One delivery per invocation: an ingest can take minutes, and a batch would share one 900 s timeout.
 */
export const INGEST_BATCH_SIZE = 1;

/**
 * Receives before a message goes to the DLQ. maxConcurrency avoids throttle-induced receives, but an
 * exhausted account concurrency pool still throttles; 5 is AWS's recommended floor for Lambda consumers
 * and, at the visibility timeout below, spreads the attempts over ~7.5 h — past a transient S3/Slack outage.
 */
export const INGEST_MAX_RECEIVE_COUNT = 5;

/**
 * AWS recommends a visibility timeout of at least 6× the function timeout for Lambda SQS consumers, so a
 * message whose invocation is retried after throttling does not become visible (and run twice) meanwhile.
 */
export const INGEST_VISIBILITY_TIMEOUT = Duration.seconds(CUR_DELIVERY_SIZING.timeout.toSeconds() * 6);
