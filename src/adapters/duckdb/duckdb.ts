import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBInstance } from './node-api.js';

/** A DuckDB in-memory database for one unit of work; closed by `withDuckDb`. */
export interface DuckDb {
  connection: DuckDBConnection;
  /** Runs a statement and returns its rows as plain JS objects. */
  rows<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  run(sql: string): Promise<void>;
}

/**
 * What the host gives DuckDB. Unset fields keep DuckDB's defaults, which assume a machine of its own: 80% of
 * the RAM it sees, spill files in `.tmp` under the working directory, extensions under `~/.duckdb`. A Lambda
 * function has a memory limit of its own, a read-only working directory, only /tmp writable and no HOME.
 */
export interface DuckDbSettings {
  threads?: number | undefined;
  memoryLimitMb?: number | undefined;
  /** Where DuckDB spills what does not fit in memory_limit. */
  tempDirectory?: string | undefined;
  /** Replaces `~` (HOME) for DuckDB's own files. */
  homeDirectory?: string | undefined;
  extensionDirectory?: string | undefined;
  /** Persistent secrets (never created here; DuckDB still resolves the directory). */
  secretDirectory?: string | undefined;
}

let hostSettings: DuckDbSettings = {};

/** Sets what every later DuckDB instance of this process starts with (a Lambda runtime, once per cold start). */
export function configureDuckDb(settings: DuckDbSettings): void {
  hostSettings = { ...settings };
}

/** The DuckDB configuration options an instance is created with. */
export function duckDbConfig(settings: DuckDbSettings): Record<string, string> {
  const config: Record<string, string> = {
    threads: String(settings.threads ?? 2),
    // Extensions would be downloaded at run time, which this service never does.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  };
  if (settings.memoryLimitMb !== undefined) config.memory_limit = `${settings.memoryLimitMb}MB`;
  if (settings.tempDirectory !== undefined) config.temp_directory = settings.tempDirectory;
  if (settings.homeDirectory !== undefined) config.home_directory = settings.homeDirectory;
  if (settings.extensionDirectory !== undefined) config.extension_directory = settings.extensionDirectory;
  if (settings.secretDirectory !== undefined) config.secret_directory = settings.secretDirectory;
  return config;
}

export async function withDuckDb<T>(
  work: (db: DuckDb) => Promise<T>,
  options: { threads?: number } = {},
): Promise<T> {
  const instance = await DuckDBInstance.create(
    ':memory:',
    duckDbConfig({ ...hostSettings, ...(options.threads === undefined ? {} : { threads: options.threads }) }),
  );
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    // Every statement of a unit of work reads the same Parquet footers; parse them once per instance.
    await connection.run('SET parquet_metadata_cache = true');
    const db: DuckDb = {
      connection,
      async rows<R>(sql: string) {
        const reader = await connection.runAndReadAll(sql);
        return reader.getRowObjectsJS() as R[];
      },
      async run(sql: string) {
        await connection.run(sql);
      },
    };
    return await work(db);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Runs a query and returns its rows as plain objects: DuckDB serialises each row to JSON text and V8's JSON.parse
 * builds the object, an order of magnitude faster than converting every value through the client's vector
 * accessors (measured: 438k 33-column rows in ~4 s instead of ~34 s). The result is streamed chunk by chunk
 * (DuckDB may spill the sort to disk), so memory holds the converted rows, not the whole text at once.
 * Cast DECIMAL/BIGINT columns to VARCHAR in `sql` where exactness matters: JSON numbers are doubles.
 */
export async function rowsViaJson<T, R = T>(
  db: DuckDb,
  sql: string,
  orderBy?: string,
  convert: (row: T) => R = (row) => row as unknown as R,
): Promise<R[]> {
  const result = await db.connection.stream(
    `SELECT CAST(to_json(q) AS VARCHAR) AS j FROM (${sql}) AS q${orderBy ? ` ORDER BY ${orderBy}` : ''}`,
  );
  const out: R[] = [];
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (const text of chunk.getColumnValues(0) as string[]) out.push(convert(JSON.parse(text) as T));
  }
  return out;
}

/** SQL string literal with quotes doubled. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** SQL identifier with quotes doubled. */
export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
