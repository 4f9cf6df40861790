import { join } from 'node:path';
import type { DuckDbSettings } from '../../adapters/duckdb/duckdb.js';

/** Lambda allocates CPU in proportion to memory: the equivalent of one vCPU at 1,769 MB. */
export const LAMBDA_MB_PER_VCPU = 1769;
/** The most vCPUs a function gets (at 10,240 MB). */
export const LAMBDA_MAX_VCPUS = 6;
/**
 * DuckDB's share of the function's memory. The rest is the Node.js heap (SDK clients, the stage-1 groups
 * and facts as objects, the Parquet writes) and DuckDB's own allocations outside its buffer pool; the
 * 1M-row harness measurement (see README, Deployment) keeps peak RSS under the function's memory with it.
 */
export const DUCKDB_MEMORY_SHARE = 0.5;

/**
 * DuckDB settings for a Lambda function of `memoryMb`: a memory limit below the function's, every
 * directory DuckDB may write under the writable `tmp` (Lambda: /tmp; the code directory is read-only and
 * HOME is unset), and one thread per vCPU the memory buys, no more than the CPUs the process can see.
 */
export function lambdaDuckDbSettings(memoryMb: number, tmp: string, visibleCpus: number): DuckDbSettings {
  const vcpus = Math.min(LAMBDA_MAX_VCPUS, Math.max(1, Math.ceil(memoryMb / LAMBDA_MB_PER_VCPU)));
  const home = join(tmp, 'duckdb');
  return {
    threads: Math.max(1, Math.min(vcpus, visibleCpus)),
    memoryLimitMb: Math.max(64, Math.floor(memoryMb * DUCKDB_MEMORY_SHARE)),
    tempDirectory: join(home, 'spill'),
    homeDirectory: home,
    extensionDirectory: join(home, 'extensions'),
    secretDirectory: join(home, 'secrets'),
  };
}
